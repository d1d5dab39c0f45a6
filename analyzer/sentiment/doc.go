// Package sentiment scores short social posts (tweets, comments, reviews)
// for how their authors feel, so that a monitor can track the negative share
// of posts about a product feature and explain which words drove it.
//
// The scorer follows the VADER family of rules (boosters, dampeners,
// negation, contrast, capitals, punctuation emphasis, emoticons, emoji,
// idioms) over VADER's own lexicon, read from github.com/jonreiter/govader at
// construction, plus a versioned brand-risk lexicon embedded from
// lexicon/brand.yaml and any per-deployment YAML lexicons.
//
// It is built for throughput: a hand-written Unicode-aware tokenizer, one map
// lookup per token and pooled scratch space, so ScoreInto does not allocate.
//
// It is not a general language model: it does not understand sarcasm, long
// documents or languages other than English. Posts detected as another
// language are returned with Scored=false rather than as neutral. For named
// entities see package analyzer/entities, which is too slow for every post.
package sentiment
