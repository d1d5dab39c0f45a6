package drivers

import (
	"strings"
	"unicode"
)

// A stanceCue is a phrase by which a post argues against a backlash
// instead of voicing it. Cues are written in lower case; in the Latin
// cues "#" stands for any number, and a cue matches whole words only.
// Chinese cues match anywhere in the text.
type stanceCue struct {
	text, why string
}

// stanceCues are the phrases of posts that push back on a backlash. Each
// says why it is a sign of pushing back, not of complaining; a phrase a
// complaint uses as often ("turn it off": "I had to turn it off") is not
// one.
var stanceCues = []stanceCue{
	// Minimising the scale of what people complain about.
	{"like # accounts", "counts the offenders to make them few"},
	{"only # accounts", "counts the offenders to make them few"},
	{"a few accounts", "makes the offenders few"},
	{"a handful of", "makes the offenders few"},
	{"a few idiots", "blames a few users, not the product"},
	{"a few bad apples", "blames a few users, not the product"},
	{"#% of users", "shows the problem as a small share"},
	{"not all bad", "concedes a fault to defend the rest"},
	{"isn't the problem", "moves the blame off the product"},
	{"is not the problem", "moves the blame off the product"},
	{"not defending", "the opener of a defence (\"not defending X, but\")"},
	// Doubting the evidence.
	{"are fake", "calls the evidence fake (\"the screenshots going round are fake\")"},
	{"photoshopped", "calls the evidence doctored"},
	// Calling the reaction excessive.
	{"overreacting", "calls the reaction excessive"},
	{"overreaction", "calls the reaction excessive"},
	{"overblown", "calls the reaction excessive"},
	{"blown out of proportion", "calls the reaction excessive"},
	{"calm down", "tells the complainers to stop"},
	{"chill out", "tells the complainers to stop"},
	{"not that deep", "calls the reaction excessive"},
	{"not a big deal", "calls the reaction excessive"},
	{"no big deal", "calls the reaction excessive"},
	{"storm in a teacup", "calls the reaction excessive"},
	{"moral panic", "calls the reaction a panic"},
	{"pile on", "names the reaction a pile-on"},
	{"pitchforks", "names the complainers a mob"},
	{"the mob", "names the complainers a mob"},
	{"a mob", "names the complainers a mob"},
	{"mob mentality", "names the complainers a mob"},
	{"outrage merchants", "calls the complaint an act"},
	{"getting silly", "calls the reaction excessive"},
	{"not everything needs", "calls the reaction excessive (\"not everything needs a boycott\")"},
	// Reporting what others say rather than saying it.
	{"people are saying", "reports others' complaint, usually to answer it"},
	{"everyone saying", "reports others' complaint, usually to answer it"},
	{"everyone is saying", "reports others' complaint, usually to answer it"},
	{"people talk about", "reports others' complaint, usually to answer it"},
	{"people are acting like", "reports others' complaint to answer it"},
	// Defending the feature.
	{"you can turn it off", "says the feature is harmless to whoever minds"},
	{"you can switch it off", "says the feature is harmless to whoever minds"},
	{"just turn it off", "says the feature is harmless to whoever minds"},
	{"just switch it off", "says the feature is harmless to whoever minds"},
	{"if you don't like it", "tells the complainer to leave, not the product to change"},
	{"not mandatory", "says the feature is harmless to whoever minds"},
	{"give them a chance", "asks for patience with the company"},
	{"give them time", "asks for patience with the company"},
	{"hot take", "announces a view against the crowd"},
	{"in defence of", "a defence"},
	{"in defense of", "a defence"},
	{"has real uses", "argues for the feature"},
	{"fixable", "says the fault can be fixed, the feature kept (\"a moderation problem. that's fixable\")"},
	// Chinese.
	{"小题大做", "calls the reaction excessive (a fuss over nothing)"},
	{"反应过度", "calls the reaction excessive (overreacting)"},
	{"过度反应", "calls the reaction excessive (overreacting)"},
	{"没那么严重", "calls the reaction excessive (not that serious)"},
	{"至于吗", "calls the reaction excessive (is it worth it?)"},
	{"上纲上线", "calls the reaction excessive (blowing it up)"},
	{"夸大其词", "calls the complaint exaggerated"},
	{"带节奏", "calls the complaint manipulated"},
	{"跟风", "calls the complainers a bandwagon"},
	{"冷静一下", "tells the complainers to stop (calm down)"},
	{"冷静一点", "tells the complainers to stop (calm down a bit)"},
	{"冷静看待", "asks for a calmer view (look at it calmly)"},
	{"有点夸张", "calls the reaction excessive (a bit exaggerated; 太夸张 is a complaint's)"},
	{"不至于", "calls the reaction excessive (it doesn't come to that)"},
	{"太苛刻", "calls the complainers too harsh"},
	{"一棍子打死", "argues against condemning the whole feature (killing it with one blow)"},
	{"一刀切", "argues against removing the feature outright (a blanket cut)"},
	{"而不是直接", "argues for fixing the feature over removing it (rather than outright …)"},
	{"说句公道话", "the opener of a defence (to be fair)"},
	{"说句好话", "the opener of a defence (a good word for it)"},
	{"理性讨论", "sets the post apart from the complainers (a rational discussion)"},
	{"初衷是好的", "defends the feature's intent"},
	{"功能本身", "moves the blame off the feature itself"},
	{"一点时间", "asks for patience with the company (give them some time)"},
	{"可以关掉", "says the feature is harmless to whoever minds (you can turn it off)"},
	{"关掉就行", "says the feature is harmless to whoever minds (just turn it off)"},
	{"关了就行", "says the feature is harmless to whoever minds (just turn it off)"},
	{"不喜欢可以", "tells the complainer to leave (if you don't like it you can…)"},
	{"就几个", "makes the offenders few (just a few)"},
	{"极少数", "makes the offenders few (a tiny minority)"},
}

// PushesBack returns the phrase by which text argues against the backlash
// it is about (minimising it, calling it an overreaction, reporting what
// others say to answer it, defending the feature) and why, or "" when it
// has none. Such a post may be negative in tone ("calm down, it's not the
// end of the world") yet it is not a complaint: it is never a theme's
// member or a quoted post.
func PushesBack(text string) (cue, why string) {
	norm := " " + normalize(text) + " "
	for _, c := range stanceCues {
		if isLatinCue(c.text) {
			if latinCue(norm, c.text) {
				return c.text, c.why
			}
		} else if strings.Contains(text, c.text) {
			return c.text, c.why
		}
	}
	return "", ""
}

// latinCue reports whether norm holds the cue as whole words, not right
// after a negation ("I can't calm down" is no call to calm down).
func latinCue(norm, cue string) bool {
	for off := 0; ; {
		i := strings.Index(norm[off:], " "+cue+" ")
		if i < 0 {
			return false
		}
		before := strings.Fields(norm[:off+i])
		if len(before) == 0 || !negations[before[len(before)-1]] {
			return true
		}
		off += i + 1
	}
}

var negations = map[string]bool{"not": true, "can't": true, "cannot": true, "don't": true, "won't": true,
	"never": true, "isn't": true, "no": true, "couldn't": true, "wouldn't": true}

func isLatinCue(s string) bool {
	for _, r := range s {
		if r > unicode.MaxLatin1 {
			return false
		}
	}
	return true
}

// normalize lower-cases text, writes every run of digits as "#" and every
// run of other characters that are neither letters, apostrophes nor "%" as
// one space.
func normalize(text string) string {
	var b strings.Builder
	space, digit := true, false
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsDigit(r):
			if !digit {
				b.WriteByte('#')
			}
			digit, space = true, false
			continue
		case r == '’':
			r = '\''
			fallthrough
		case unicode.IsLetter(r) || r == '\'' || r == '%':
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
		digit = false
	}
	return strings.TrimSpace(b.String())
}
