package sentiment

import "github.com/abadojack/whatlanggo"

// Language detection is done in three tiers, cheapest first, because it
// runs on every post:
//
//  1. Script counts gathered by the tokenizer: kana means "ja", Hangul "ko",
//     Han "zh"; a majority of other non-Latin letters goes to whatlanggo.
//  2. Latin text: English function words are counted against function words
//     that are distinctive for Spanish, French, German, Portuguese, Italian
//     and Dutch (one map lookup per token, shared with the lexicon lookup).
//     Plain-ASCII text with no foreign function words is English, which
//     covers short posts such as "worst update ever" that have no stop words.
//  3. Only Latin text where foreign function words win, or non-ASCII Latin
//     text with no English function words, is handed to whatlanggo, whose
//     trigram model costs far more than the rest of scoring.
//
// Posts with no letters at all (emoji only) are language "und" and scored.

// stopEN holds frequent English function words.
const stopEN = `the a an and or of to in on at for with is are was were be been it its it's
this that these those i you he she we they me my your our their not no do does did don't
doesn't didn't have has had will would can can't just so what why how when who if from
by about as but all get got im i'm u ur again ever`

// stopOther holds function words of other Latin-script languages that are
// not also common English words.
const stopOther = `el los las del que por para una muy pero con está esta es se
le les des est une je pas avec pour sur dans mais très c'est ce du au qui
der das und ist nicht ich ein eine mit auf für sehr aber auch zu den dem
não uma com mas muito você é eu isso também
il che non sono della questo molto anche
het een niet ik dat zijn maar ook voor heel`

// stopHindi holds function words of romanized Hindi that are not English
// words. UMSAB's Hindi tweets are often wholly English, so the language
// identifier learned to call many English posts Hindi; a post is routed to
// Hindi only with at least one of these.
const stopHindi = `hai hain ka ki ke ko nahi nahin nhi kya yeh ye aur bhi mein mai tha thi kar karo
karna hum tum aap apne apna mera meri mere tera teri kuch sab bahut bhai yaar toh kyun kyu kaise
wala wali raha rahe rahi gaya gayi diya liye abhi hoga jaisa koi kabhi sirf log`

// likeSubjects are words after which "like" is the verb of liking.
const likeSubjects = `i we you they u ya people everyone everybody who really do does did don't
dont didn't didnt doesn't doesnt still actually totally also genuinely honestly def definitely
both`

// language returns the post's language and whether it is scored.
func (lx *lexicon) language(text string, st *textStats) (string, bool) {
	cjk := st.han + st.kana + st.hangul
	latin := st.ascii + st.latin
	switch {
	case cjk > 0 && cjk*2 >= latin:
		switch {
		case st.kana > 0:
			return "ja", false
		case st.hangul >= st.han:
			return "ko", false
		default:
			return "zh", false
		}
	case st.other > latin:
		return detectSlow(text)
	case latin == 0:
		return "und", true
	case st.stopOther > st.stopEN:
		return code(whatlanggo.DetectLangWithOptions(text, lx.latinLangs))
	case st.latin > 0 && st.stopEN == 0:
		return code(whatlanggo.DetectLangWithOptions(text, lx.latinLangs))
	}
	return "en", true
}

// latinLanguages limits whatlanggo on Latin-script text to languages
// common in social posts; on short posts the full set picks Esperanto or
// Estonian for Spanish and French.
func latinLanguages() whatlanggo.Options {
	return whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
		whatlanggo.Eng: true, whatlanggo.Spa: true, whatlanggo.Fra: true, whatlanggo.Deu: true,
		whatlanggo.Por: true, whatlanggo.Ita: true, whatlanggo.Nld: true, whatlanggo.Swe: true,
		whatlanggo.Dan: true, whatlanggo.Nob: true, whatlanggo.Pol: true, whatlanggo.Tur: true,
		whatlanggo.Ind: true, whatlanggo.Ron: true, whatlanggo.Ces: true, whatlanggo.Fin: true,
		whatlanggo.Hun: true, whatlanggo.Vie: true, whatlanggo.Tgl: true,
	}}
}

func detectSlow(text string) (string, bool) {
	return code(whatlanggo.DetectLang(text))
}

func code(l whatlanggo.Lang) (string, bool) {
	code := l.Iso6391()
	if code == "" {
		code = "und"
	}
	return code, code == "en"
}
