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
// Chinese and the UMSAB languages (English, Spanish, French, German,
// Italian, Portuguese, Arabic, Hindi) are scored by learned
// logistic-regression models over hashed n-grams that also read the rules'
// result and per-language brand-risk lexicons (see learned.go and the
// train command); English's model never makes a post negative that the
// rules do not. Posts without letters stay on the rules. Posts in other languages
// (Japanese, Korean, Russian ...) are returned with Scored=false rather
// than as neutral. It does not understand sarcasm beyond simple patterns
// or long documents. For named entities see package internal/analyzer/entities,
// which is too slow for every post.
package sentiment
