package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"gopkg.in/yaml.v3"
)

// The hand-written texts the scenario samples from, English in texts/ and
// each other language in its own directory (texts/zh). They are read-only.
//
//go:embed texts/*.yaml texts/zh/*.yaml
var textFiles embed.FS

// Pools of post texts. Each pool is one stance in one phase; its name is what
// Item.Stance reports.
const (
	// StanceLaunchCurious: questions and first looks at the new feature.
	StanceLaunchCurious = "launch_curious"
	// StanceLaunchPositive: early users who like the feature.
	StanceLaunchPositive = "launch_positive"
	// StanceLaunchNegative: mild complaints before the backlash.
	StanceLaunchNegative = "launch_negative"
	// StanceOutrage: anger at the feature's use for hookups ("it's like a
	// brothel").
	StanceOutrage = "outrage"
	// StancePrivacy: anger at exposed locations and purchases.
	StancePrivacy = "privacy"
	// StanceBoycott: deleting the app, moving money, calls to boycott.
	StanceBoycott = "boycott"
	// StanceSarcastic: outrage dressed as praise; meant negatively.
	StanceSarcastic = "sarcastic"
	// StanceMediaShare: users passing on press and state-media coverage.
	StanceMediaShare = "media_share"
	// StanceDefence: users defending the feature or calling for calm.
	StanceDefence = "defence"
	// StanceApologyAccept: users who accept the apology and removal.
	StanceApologyAccept = "apology_accept"
	// StanceApologyReject: users who find the apology too little, too late.
	StanceApologyReject = "apology_reject"
	// StanceDecayNegative: lingering distrust after the removal.
	StanceDecayNegative = "decay_negative"
	// StanceDecayNeutral: questions, jokes and moving on after the removal.
	StanceDecayNeutral = "decay_neutral"
	// StanceCalmPositive: satisfied travel-card users.
	StanceCalmPositive = "calm_positive"
	// StanceCalmNeutral: travel-card questions.
	StanceCalmNeutral = "calm_neutral"
	// StanceCalmNegative: ordinary travel-card complaints.
	StanceCalmNegative = "calm_negative"
	// StanceOffTopic: posts about neither topic.
	StanceOffTopic = "offtopic"
	// StanceCompany marks the company's own launch, apology and removal
	// statements, and the standing posts present from the start (the
	// forum's welcome, the support account's pinned post).
	StanceCompany = "company"
	// StanceArticle marks news and blog pieces, in the feed and as the
	// outlets' own microblog posts.
	StanceArticle = "article"
)

// topicKind says which of the scenario's topics a pool belongs to.
type topicKind int

const (
	kindNone topicKind = iota
	kindBacklash
	kindCalm
)

// poolMeta describes a text pool: the topic its texts are about and the
// sentiment their authors mean (which sarcasm hides from naive scorers).
type poolMeta struct {
	kind      topicKind
	sentiment string
}

// postPools lists the post pools and what they mean.
func postPools() map[string]poolMeta {
	return map[string]poolMeta{
		StanceLaunchCurious:  {kindBacklash, "neutral"},
		StanceLaunchPositive: {kindBacklash, "positive"},
		StanceLaunchNegative: {kindBacklash, "negative"},
		StanceOutrage:        {kindBacklash, "negative"},
		StancePrivacy:        {kindBacklash, "negative"},
		StanceBoycott:        {kindBacklash, "negative"},
		StanceSarcastic:      {kindBacklash, "negative"},
		StanceMediaShare:     {kindBacklash, "negative"},
		StanceDefence:        {kindBacklash, "positive"},
		StanceApologyAccept:  {kindBacklash, "positive"},
		StanceApologyReject:  {kindBacklash, "negative"},
		StanceDecayNegative:  {kindBacklash, "negative"},
		StanceDecayNeutral:   {kindBacklash, "neutral"},
		StanceCalmPositive:   {kindCalm, "positive"},
		StanceCalmNeutral:    {kindCalm, "neutral"},
		StanceCalmNegative:   {kindCalm, "negative"},
		StanceOffTopic:       {kindNone, ""},
	}
}

// article is a news or blog piece for the feed.
type article struct {
	Outlet string `yaml:"outlet"`
	Title  string `yaml:"title"`
	Text   string `yaml:"text"`
}

// articlePools maps each article pool to its topic.
func articlePools() map[string]topicKind {
	return map[string]topicKind{
		"article_launch":     kindBacklash,
		"article_outrage":    kindBacklash,
		"article_statemedia": kindBacklash,
		"article_apology":    kindBacklash,
		"article_removal":    kindBacklash,
		"article_calm":       kindCalm,
		"article_offtopic":   kindNone,
	}
}

// titlePools lists the forum thread title pools.
func titlePools() []string {
	return []string{"title_launch", "title_outrage", "title_after", "title_calm", "title_offtopic"}
}

// library is every embedded text, parsed.
type library struct {
	posts    map[string][]string
	titles   map[string][]string
	articles map[string][]article
	company  map[string]string
}

// loadLibrary parses the embedded text files in dir. Each file is a YAML
// mapping from pool name to its texts; articles.yaml holds articles and
// company.yaml the company's statements.
func loadLibrary(dir string) (*library, error) {
	lib := &library{
		posts:    map[string][]string{},
		titles:   map[string][]string{},
		articles: map[string][]article{},
		company:  map[string]string{},
	}
	names, err := fs.Glob(textFiles, dir+"/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	posts, arts := postPools(), articlePools()
	titles := map[string]bool{}
	for _, t := range titlePools() {
		titles[t] = true
	}
	for _, name := range names {
		data, err := textFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		switch path.Base(name) {
		case "company.yaml":
			if err := yaml.Unmarshal(data, &lib.company); err != nil {
				return nil, fmt.Errorf("demo: %s: %w", name, err)
			}
		case "articles.yaml":
			m := map[string][]article{}
			if err := yaml.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("demo: %s: %w", name, err)
			}
			for k, v := range m {
				if _, ok := arts[k]; !ok {
					return nil, fmt.Errorf("demo: %s: unknown article pool %q", name, k)
				}
				lib.articles[k] = append(lib.articles[k], v...)
			}
		default:
			m := map[string][]string{}
			if err := yaml.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("demo: %s: %w", name, err)
			}
			for k, v := range m {
				switch {
				case titles[k]:
					lib.titles[k] = append(lib.titles[k], v...)
				default:
					if _, ok := posts[k]; !ok {
						return nil, fmt.Errorf("demo: %s: unknown pool %q", name, k)
					}
					lib.posts[k] = append(lib.posts[k], v...)
				}
			}
		}
	}
	for k := range posts {
		if len(lib.posts[k]) == 0 {
			return nil, fmt.Errorf("demo: pool %q has no texts", k)
		}
	}
	for k := range arts {
		if len(lib.articles[k]) == 0 {
			return nil, fmt.Errorf("demo: article pool %q is empty", k)
		}
	}
	for _, k := range titlePools() {
		if len(lib.titles[k]) == 0 {
			return nil, fmt.Errorf("demo: title pool %q is empty", k)
		}
	}
	for _, k := range []string{"launch", "apology", "removal", "welcome_forum", "welcome_api"} {
		if lib.company[k] == "" {
			return nil, fmt.Errorf("demo: company statement %q is missing", k)
		}
	}
	return lib, nil
}

// ComplaintStances are the stances whose posts voice the backlash's
// complaints: the feature used for hookups and paid sex, exposed locations
// and purchases, deleting the app, and sarcasm about all of it. Media
// shares, defences and launch-time unease are not. This is the ground truth
// an alert's drivers are judged against, the same in every language.
func ComplaintStances() []string {
	return []string{StanceOutrage, StancePrivacy, StanceBoycott, StanceSarcastic}
}

// Complaint is one of the things the backlash complains about, with the
// words its posts use for it in the scenario's language.
type Complaint struct {
	// Name says what the complaint is, in English.
	Name string
	// Terms are lower-case words and phrases that voice it.
	Terms []string
}

// Complaints returns what the backlash's complaint posts (ComplaintStances)
// are about and the words they say it with: the vocabulary a good summary
// of the first alert draws on. A test holds the texts to it.
func (s *Scenario) Complaints() []Complaint {
	out := make([]Complaint, len(s.loc.complaints))
	for i, c := range s.loc.complaints {
		out[i] = Complaint{Name: c.Name, Terms: append([]string(nil), c.Terms...)}
	}
	return out
}
