package when

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The languages the analyzer scores show times in their own words: "vor 2
// Stunden", "il y a 3 jours", "hace una hora", "há 2 horas", "2 ore fa",
// "منذ ساعتين", "2 घंटे पहले", "gestern um 14:02", "7. Dezember 2026",
// "7 de diciembre de 2026". This file reads them; Korean relative times
// come along as they cost one line.

// relUnits maps the unit words of relative times, in every language read,
// to the units back understands.
var relUnits = map[string]string{
	// German
	"sekunde": "s", "sekunden": "s", "sek": "s", "sek.": "s",
	"minute": "m", "minuten": "m", "min.": "m",
	"stunde": "h", "stunden": "h", "std": "h", "std.": "h",
	"tag": "d", "tagen": "d", "woche": "w", "wochen": "w",
	"monat": "mo", "monaten": "mo", "jahr": "y", "jahren": "y",
	// French
	"seconde": "s", "secondes": "s", "heure": "h", "heures": "h", "mn": "m",
	"jour": "d", "jours": "d", "j": "d", "semaine": "w", "semaines": "w",
	"mois": "mo", "an": "y", "ans": "y", "année": "y", "années": "y",
	// Spanish and Portuguese
	"segundo": "s", "segundos": "s", "minuto": "m", "minutos": "m",
	"hora": "h", "horas": "h", "día": "d", "días": "d", "dia": "d", "dias": "d",
	"semana": "w", "semanas": "w", "mes": "mo", "meses": "mo", "mês": "mo",
	"año": "y", "años": "y", "ano": "y", "anos": "y",
	// Italian
	"secondo": "s", "secondi": "s", "minuti": "m", "ora": "h", "ore": "h",
	"giorno": "d", "giorni": "d", "settimana": "w", "settimane": "w",
	"mese": "mo", "mesi": "mo", "anno": "y", "anni": "y",
	// Arabic (singular, plural; the dual is in arDual)
	"ثانية": "s", "ثوان": "s", "ثواني": "s", "ثوانٍ": "s",
	"دقيقة": "m", "دقائق": "m", "ساعة": "h", "ساعات": "h",
	"يوم": "d", "أيام": "d", "ايام": "d", "أسبوع": "w", "اسبوع": "w", "أسابيع": "w", "اسابيع": "w",
	"شهر": "mo", "أشهر": "mo", "اشهر": "mo", "شهور": "mo", "سنة": "y", "سنوات": "y", "عام": "y", "أعوام": "y",
	// Hindi
	"सेकंड": "s", "मिनट": "m", "घंटे": "h", "घंटा": "h", "घंटों": "h",
	"दिन": "d", "दिनों": "d", "हफ्ते": "w", "हफ़्ते": "w", "हफ्ता": "w", "हफ़्ता": "w", "सप्ताह": "w",
	"महीने": "mo", "महीना": "mo", "साल": "y", "वर्ष": "y",
	// Korean
	"초": "s", "분": "m", "시간": "h", "일": "d", "주": "w", "개월": "mo", "달": "mo", "년": "y",
}

// oneWords are the words that count one in a relative time ("vor einer
// Stunde", "il y a un jour", "hace una hora", "há um mês", "un'ora fa").
var oneWords = map[string]bool{
	"einer": true, "einem": true, "einen": true, "un": true, "une": true,
	"una": true, "uno": true, "um": true, "uma": true, "un'": true,
}

// arDual are Arabic's dual forms: "منذ ساعتين" is two hours ago.
var arDual = map[string]string{
	"ثانيتين": "s", "دقيقتين": "m", "ساعتين": "h", "يومين": "d",
	"أسبوعين": "w", "اسبوعين": "w", "شهرين": "mo", "سنتين": "y", "عامين": "y",
}

// relForms are the shapes of relative times: a prefix or a suffix around
// "N unit", N a number or a word for one.
var relForms = []struct{ prefix, suffix string }{
	{"vor ", ""},    // German
	{"il y a ", ""}, // French
	{"hace ", ""},   // Spanish
	{"há ", ""},     // Portuguese
	{"ha ", ""},     // Portuguese without the accent
	{"", " atrás"},  // Portuguese
	{"", " atras"},  // Portuguese without the accent
	{"", " fa"},     // Italian
	{"منذ ", ""},    // Arabic
	{"قبل ", ""},    // Arabic
	{"", " पहले"},   // Hindi
	{"", " 전"},      // Korean
	{"", "전"},       // Korean written without the space
}

// numUnitRe splits "2 Stunden", "2h", "2 ore", "2시간" into number and
// unit.
var numUnitRe = regexp.MustCompile(`^(\d+)\s*(\S+)$`)

// localRelative reads the relative times of relForms.
func localRelative(l string, now time.Time) (time.Time, bool) {
	for _, f := range relForms {
		if !strings.HasPrefix(l, f.prefix) || !strings.HasSuffix(l, f.suffix) || len(l) <= len(f.prefix)+len(f.suffix) {
			continue
		}
		mid := strings.TrimSpace(l[len(f.prefix) : len(l)-len(f.suffix)])
		if u, ok := arDual[mid]; ok {
			return back(now, 2, u), true
		}
		if u, ok := relUnits[mid]; ok && (f.prefix == "منذ " || f.prefix == "قبل ") {
			return back(now, 1, u), true // "منذ ساعة": an hour ago
		}
		if strings.HasPrefix(mid, "un'") { // "un'ora fa"
			mid = "un' " + mid[len("un'"):]
		}
		if w, rest, ok := strings.Cut(mid, " "); ok && oneWords[w] {
			if u, ok := relUnits[strings.TrimSpace(rest)]; ok {
				return back(now, 1, u), true
			}
			continue
		}
		if m := numUnitRe.FindStringSubmatch(mid); m != nil {
			u, ok := relUnits[m[2]]
			if !ok {
				u, ok = shortUnits[m[2]]
			}
			if ok {
				n, _ := strconv.Atoi(m[1])
				return back(now, n, u), true
			}
		}
	}
	return time.Time{}, false
}

// shortUnits are the one- and two-letter units sites abbreviate to in any
// of the languages ("vor 2 Std", "il y a 3 j", "hace 5 min", "2 h fa").
var shortUnits = map[string]string{"s": "s", "m": "m", "min": "m", "h": "h", "d": "d", "g": "d", "w": "w"}

// dayWords name a day by its distance from today, in every language read
// (English and Chinese are in relative's own table).
var dayWords = map[string]int{
	"heute": 0, "aujourd'hui": 0, "hoy": 0, "hoje": 0, "oggi": 0, "اليوم": 0, "आज": 0, "오늘": 0,
	"gestern": 1, "hier": 1, "ayer": 1, "ontem": 1, "ieri": 1, "أمس": 1, "امس": 1, "البارحة": 1, "कल": 1, "어제": 1,
	"vorgestern": 2, "avant-hier": 2, "anteayer": 2, "antes de ayer": 2, "anteontem": 2, "l'altro ieri": 2,
	"altroieri": 2, "أول أمس": 2, "اول امس": 2, "परसों": 2, "그저께": 2,
}

// weekdays name the days of the week in English and the languages read:
// a post of the last days is often shown by its day ("Mon 14:02",
// "Montag, 14:02", "lundi à 14h02"), the most recent such day.
var weekdays = func() map[string]time.Weekday {
	names := [7][]string{
		{"sunday", "sun", "sonntag", "so", "dimanche", "dim", "domingo", "dom", "domenica", "الأحد", "रविवार"},
		{"monday", "mon", "montag", "mo", "lundi", "lun", "lunes", "segunda", "segunda-feira", "lunedì", "lunedi", "الاثنين", "الإثنين", "सोमवार"},
		{"tuesday", "tue", "tues", "dienstag", "di", "mardi", "mar", "martes", "terça", "terça-feira", "terca", "martedì", "martedi", "الثلاثاء", "मंगलवार"},
		{"wednesday", "wed", "mittwoch", "mi", "mercredi", "mer", "miércoles", "miercoles", "mié", "quarta", "quarta-feira", "mercoledì", "mercoledi", "الأربعاء", "الاربعاء", "बुधवार"},
		{"thursday", "thu", "thur", "thurs", "donnerstag", "do", "jeudi", "jeu", "jueves", "jue", "quinta", "quinta-feira", "giovedì", "giovedi", "الخميس", "गुरुवार"},
		{"friday", "fri", "freitag", "fr", "vendredi", "ven", "viernes", "vie", "sexta", "sexta-feira", "venerdì", "venerdi", "الجمعة", "शुक्रवार"},
		{"saturday", "sat", "samstag", "sa", "samedi", "sam", "sábado", "sabado", "sáb", "sabato", "السبت", "शनिवार"},
	}
	m := map[string]time.Weekday{}
	for d, ns := range names {
		for _, n := range ns {
			m[n] = time.Weekday(d)
		}
	}
	return m
}()

// weekday reads "Mon 14:02", "Montag, 14:02 Uhr", "lundi à 14h02": the
// most recent such day (today's when the time has passed), at that time.
func weekday(l string, now time.Time) (time.Time, bool) {
	w, rest, _ := strings.Cut(l, " ")
	w = strings.TrimRight(w, ".,")
	d, ok := weekdays[w]
	if !ok {
		return time.Time{}, false
	}
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ","))
	for _, c := range connectors {
		if r, ok := strings.CutPrefix(rest, c); ok {
			rest = strings.TrimSpace(r)
			break
		}
	}
	h, mi, sec, ok := clock(rest)
	if !ok {
		return time.Time{}, false
	}
	back := (int(now.Weekday()) - int(d) + 7) % 7
	t := time.Date(now.Year(), now.Month(), now.Day()-back, h, mi, sec, 0, now.Location())
	if t.After(now.Add(time.Hour)) {
		t = t.AddDate(0, 0, -7)
	}
	return t, true
}

// dayPrefixes are dayWords' words, longest first, for reading "gestern
// um 14:02".
var dayPrefixes = func() []string {
	ws := make([]string, 0, len(dayWords))
	for w := range dayWords {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool {
		if len(ws[i]) != len(ws[j]) {
			return len(ws[i]) > len(ws[j])
		}
		return ws[i] < ws[j]
	})
	return ws
}()

// nowWords mean the moment of the fetch.
var nowWords = map[string]bool{
	"gerade eben": true, "soeben": true, "jetzt": true, "à l'instant": true, "a l'instant": true,
	"maintenant": true, "ahora": true, "ahora mismo": true, "justo ahora": true, "agora": true,
	"agora mesmo": true, "adesso": true, "proprio ora": true, "poco fa": true, "الآن": true,
	"الان": true, "للتو": true, "अभी": true, "अभी-अभी": true, "방금": true, "방금 전": true,
}

// timeOfDayRe reads a clock time as sites in these languages write it:
// "14:02", "14h02", "14.02 Uhr", "2:02 pm". A point needs the "Uhr":
// "12.05" alone is as likely the 12th of May.
var timeOfDayRe = regexp.MustCompile(`^(\d{1,2})(?:[:h](\d{2})(?::(\d{2}))?(?:\s*uhr)?|\.(\d{2})\s*uhr)\s*(am|pm)?$`)

// connectors join a day word and a clock time: "gestern um 14:02", "hier
// à 14h02", "ayer a las 14:02", "ontem às 14:02", "ieri alle 14:02".
var connectors = []string{"a las ", "a la ", "um ", "à ", "a ", "às ", "as ", "alle ", "at ", "في ", "को "}

// localDay reads "heute", "gestern um 14:02", "avant-hier à 8h30" and a
// bare clock time ("14:02", today's, or yesterday's when that is still to
// come).
func localDay(l string, now time.Time) (time.Time, bool) {
	if nowWords[l] {
		return now, true
	}
	if d, ok := dayWords[l]; ok {
		return now.AddDate(0, 0, -d), true
	}
	if h, mi, sec, ok := clock(l); ok {
		t := time.Date(now.Year(), now.Month(), now.Day(), h, mi, sec, 0, now.Location())
		if t.After(now.Add(time.Hour)) {
			t = t.AddDate(0, 0, -1)
		}
		return t, true
	}
	for _, w := range dayPrefixes {
		d := dayWords[w]
		rest, ok := strings.CutPrefix(l, w)
		if !ok || rest == "" || rest[0] != ' ' && rest[0] != ',' {
			continue
		}
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ","))
		for _, c := range connectors {
			if r, ok := strings.CutPrefix(rest, c); ok {
				rest = strings.TrimSpace(r)
				break
			}
		}
		if h, mi, sec, ok := clock(rest); ok {
			day := now.AddDate(0, 0, -d)
			return time.Date(day.Year(), day.Month(), day.Day(), h, mi, sec, 0, now.Location()), true
		}
	}
	return weekday(l, now)
}

// clock reads a clock time of timeOfDayRe.
func clock(s string) (h, mi, sec int, ok bool) {
	m := timeOfDayRe.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, 0, false
	}
	h, _ = strconv.Atoi(m[1])
	mi, _ = strconv.Atoi(m[2] + m[4])
	sec, _ = strconv.Atoi(m[3])
	h = meridiem(h, m[5])
	return h, mi, sec, h <= 23 && mi <= 59 && sec <= 59
}

// meridiem turns a 12-hour clock's hour into the 24-hour one ("am",
// "pm"; any other suffix leaves it as it is).
func meridiem(h int, suffix string) int {
	switch suffix {
	case "pm":
		if h < 12 {
			h += 12
		}
	case "am":
		if h == 12 {
			h = 0
		}
	}
	return h
}

// months maps month names and their abbreviations in German, French,
// Spanish, Italian, Portuguese, Arabic and Hindi (and English's own) to
// the English abbreviation the layouts read.
var months = func() map[string]string {
	names := [12][]string{
		{"jan", "january", "januar", "jänner", "jän", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "يناير", "جانفي", "जनवरी"},
		{"feb", "february", "februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio", "fevereiro", "fev", "فبراير", "فيفري", "फ़रवरी", "फरवरी"},
		{"mar", "march", "märz", "maerz", "mär", "mars", "marzo", "março", "marco", "مارس", "मार्च"},
		{"apr", "april", "avril", "avr", "abril", "abr", "aprile", "أبريل", "ابريل", "أفريل", "अप्रैल"},
		{"may", "mai", "mayo", "maggio", "mag", "maio", "مايو", "ماي", "मई"},
		{"jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho", "يونيو", "جوان", "जून"},
		{"jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "يوليو", "جويلية", "जुलाई"},
		{"aug", "august", "août", "aout", "agosto", "ago", "أغسطس", "اغسطس", "أوت", "अगस्त"},
		{"sep", "sept", "september", "septembre", "septiembre", "setiembre", "settembre", "setembro", "set", "سبتمبر", "सितंबर", "सितम्बर"},
		{"oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "أكتوبر", "اكتوبر", "अक्टूबर", "अक्तूबर"},
		{"nov", "november", "novembre", "noviembre", "novembro", "نوفمبر", "नवंबर", "नवम्बर"},
		{"dec", "december", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "dezembro", "ديسمبر", "दिसंबर", "दिसम्बर"},
	}
	m := map[string]string{}
	for i, ns := range names {
		for _, n := range ns {
			m[n] = time.Month(i + 1).String()[:3]
		}
	}
	return m
}()

// fillers are the words between a date's parts that say nothing of it
// ("7 de diciembre de 2026", "le 7 décembre 2026 à 14h02").
var fillers = map[string]bool{
	"de": true, "del": true, "di": true, "du": true, "le": true, "el": true, "il": true, "am": true,
	"um": true, "à": true, "a": true, "às": true, "as": true, "alle": true, "ore": true, "uhr": true,
	"las": true, "la": true, "at": true, "on": true, "h": true, "-": true, "·": true, "|": true,
}

// meridiemRe joins "2:02 pm" into one field for clock.
var meridiemRe = regexp.MustCompile(`(\d{1,2}:\d{2})\s+(am|pm)\b`)

// ordinalRe strips the ordinal marks of day numbers: "7th", "1st",
// "1er", "1º", "7." (German).
var ordinalRe = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th|er|º|ª|\.)$`)

// localDate rewrites a date with month names in any of months' languages
// as the layouts' English ("7 Dec 2026 14:02"): it is returned with ok
// when s held a month name and the rest is day, year and clock time.
func localDate(l string) (string, bool) {
	l = meridiemRe.ReplaceAllString(l, "$1$2")
	fields := strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == ',' || r == '/' })
	var out []string
	month := false
	for _, f := range fields {
		if fillers[f] {
			continue
		}
		if m := ordinalRe.FindStringSubmatch(f); m != nil {
			out = append(out, m[1])
			continue
		}
		if mo, ok := months[strings.TrimSuffix(f, ".")]; ok && !month {
			out, month = append(out, mo), true
			continue
		}
		if h, mi, sec, ok := clock(f); ok {
			out = append(out, strconv.Itoa(h)+":"+pad(mi)+":"+pad(sec))
			continue
		}
		if _, err := strconv.Atoi(f); err == nil && len(f) <= 4 {
			out = append(out, f)
			continue
		}
		return "", false
	}
	if !month {
		return "", false
	}
	// Day before month (the languages' order) or after it (English's).
	return strings.Join(out, " "), true
}

func pad(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// localLayouts read localDate's output.
var localLayouts = []string{
	"2 Jan 2006 15:04:05",
	"2 Jan 2006",
	"Jan 2 2006 15:04:05",
	"Jan 2 2006",
	"2006 Jan 2 15:04:05",
	"2006 Jan 2",
}

// localYearless read localDate's output without a year.
var localYearless = []string{
	"2 Jan 15:04:05",
	"2 Jan",
	"Jan 2 15:04:05",
	"Jan 2",
}

// labels are the words sites put before a time: "Posted on", "Edited",
// "Published:", "veröffentlicht am", "publié le", "publicado el".
var labels = []string{
	"posted on", "posted at", "posted", "published on", "published", "last edited", "edited",
	"updated on", "updated", "created", "date", "veröffentlicht am", "veröffentlicht", "bearbeitet",
	"aktualisiert", "publié le", "publié", "modifié le", "modifié", "mis à jour le",
	"publicado el", "publicado em", "publicado", "actualizado", "atualizado", "editado",
	"pubblicato il", "pubblicato", "modificato", "aggiornato", "نشر في", "نشر", "प्रकाशित",
	// Discuz, Chinese blogs and news sites ("发表于 2026-12-7 14:02",
	// "發表於 昨天 14:02", "发布时间：2026-12-07"), Japanese, Korean.
	"最后编辑于", "最後編輯於", "发表时间", "發表時間", "发布时间", "發佈時間", "發布時間", "更新时间", "更新時間",
	"发表于", "發表於", "发布于", "發佈於", "發布於", "更新于", "更新於", "编辑于", "編輯於", "回复于", "回覆於",
	"时间", "時間", "日期", "投稿日時", "投稿日", "投稿", "更新日", "작성일", "등록일",
}

// unlabel strips one label, and a colon after it, from the front of s,
// whatever its case.
func unlabel(s string) (string, bool) {
	for _, p := range labels {
		if len(s) <= len(p)+1 || !strings.EqualFold(s[:len(p)], p) {
			continue
		}
		// A space or colon ends a label; a CJK label needs none
		// ("发表于2026-12-07", "时间：2026-12-07").
		if next := s[len(p)]; next != ' ' && next != ':' && p[0] < utf8.RuneSelf {
			continue
		}
		if rest := strings.TrimLeft(s[len(p):], ": ："); rest != "" && utf8.ValidString(rest) {
			return rest, true
		}
	}
	return s, false
}

// asciiDigits rewrites Arabic-Indic, Persian and Devanagari digits as
// ASCII ones.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool {
		return r >= '٠' && r <= '٩' || r >= '۰' && r <= '۹' || r >= '०' && r <= '९'
	}) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		case r >= '०' && r <= '९':
			return '0' + r - '०'
		}
		return r
	}, s)
}
