package when

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Options say how to read times that carry no zone and what "now" is.
type Options struct {
	// Now is the fetch time that relative times are measured from.
	Now time.Time
	// Location is the zone of times that name none (default UTC).
	Location *time.Location
	// Layout is a source's own time.Parse layout, tried first.
	Layout string
}

// layouts are tried in order after the source's own layout.
var layouts = []string{
	time.RFC3339Nano,
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006.01.02 15:04",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006.01.02",
	"02.01.2006",
	"Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006 at 3:04 PM",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 at 3:04 PM",
	"Jan 2, 2006 15:04",
	"January 2, 2006 15:04",
	"Jan 2, 2006",
	"January 2, 2006",
	"2 Jan 2006 15:04",
	"2 January 2006 15:04",
	"2 Jan 2006",
	"2 January 2006",
	"Mon Jan 2, 2006 3:04 pm",
	"01/02/2006 3:04 PM",
	"01/02/2006 15:04",
	"01/02/2006",
	// vBulletin's default, month first as with slashes: "12-05-2026, 11:47 PM".
	"01-02-2006 3:04 PM",
	"01-02-2006 15:04",
	"01-02-2006",
	"2006-01-02 3:04 PM",
	"2006/01/02 3:04 PM",
	// Chinese and Japanese 12-hour clocks, after halfDay: "2026年12月7日 下午9:15".
	"2006年1月2日 3:04:05 PM",
	"2006年1月2日 3:04 PM",
	// Days and months without their zeros: Discuz's "2026-12-7 14:02:33",
	// US "12/7/2026 2:02 PM" and "12/7/26", German "7.12.2026 14:02",
	// Korean "2026. 12. 7. 오후 3:05" (after tidy).
	"2006-1-2 15:04:05",
	"2006-1-2 3:04 PM",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2006.01.02 15:04:05",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04",
	"1/2/2006",
	"1/2/06",
	"2.1.2006 15:04:05",
	"2.1.2006 15:04",
	"2.1.2006",
	"2006年1月2日 15:04:05",
	"2006年1月2日 15:04",
	"2006年1月2日",
	"2006-1-2 15:04",
	"2006-1-2",
}

// yearless layouts are dates shown without a year ("Mar 9", "03-09 14:02");
// the year is the one that puts the time closest before now.
var yearless = []string{
	"Jan 2 15:04",
	"Jan 2 3:04 PM",
	"Jan 2, 3:04 PM",
	"Jan 2 at 3:04 PM",
	"January 2 3:04 PM",
	"January 2 at 3:04 PM",
	"Jan 2",
	"January 2",
	"2 Jan 15:04",
	"2 Jan",
	"2 January",
	"01-02 15:04",
	"01/02 15:04",
	"1月2日 15:04",
	"1月2日 3:04 PM",
	"1月2日",
}

var (
	shortRe   = regexp.MustCompile(`(?i)^(\d+)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|w|wk|wks|mo|y|yr|yrs)$`)
	unitRe    = regexp.MustCompile(`(?i)^(an?|one|\d+)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo|years?|yrs?|y)\s*ago$`)
	cjkUnitRe = regexp.MustCompile(`^(\d+)\s*(秒|分钟|分鐘|分|小时|小時|天|日|周|週|星期|个月|個月|月|年)\s*前$`)
	jaUnitRe  = regexp.MustCompile(`^(\d+)\s*(秒|分|時間|日|週間|か月|ヶ月|年)\s*前$`)
	dayTimeRe = regexp.MustCompile(`(?i)^(today|yesterday|今天|昨天|前天|今日|昨日)\s*,?\s*(?:at\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$`)
	digitsRe  = regexp.MustCompile(`^\d{9,13}(\.\d+)?$`)
	spaceRe   = regexp.MustCompile(`\s+`)
)

// Parse reads s as an absolute or relative time. ok is false when s is not
// a time it understands; t is then the zero time and the caller should fall
// back to the fetch time and mark it guessed.
func Parse(s string, o Options) (t time.Time, ok bool) {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if strings.ContainsAny(s, "\u00a0\t\n\r") || strings.Contains(s, "  ") {
		s = spaceRe.ReplaceAllString(strings.ReplaceAll(s, "\u00a0", " "), " ")
	}
	s = asciiDigits(strings.TrimSpace(s))
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	if o.Layout != "" {
		if t, err := time.ParseInLocation(o.Layout, s, loc); err == nil {
			return sane(t)
		}
	}
	// Machine-readable times (datetime attributes, APIs) are the common case:
	// try RFC 3339 before the regular expressions.
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return sane(t)
	}
	if digitsRe.MatchString(s) {
		return unix(s)
	}
	s = tidy(halfDay(s))
	if t, ok := relative(s, now.In(loc)); ok {
		return t, true
	}
	if t, ok, fits := inLayouts(s, layouts, yearless, loc, now); fits {
		return t, ok
	}
	// Some sites write "Jan 2, 2006, 3:04 PM" or lowercase am/pm.
	alt := strings.NewReplacer(", ", " ", " am", " AM", " pm", " PM").Replace(s)
	if alt != s {
		for _, l := range layouts {
			if t, err := time.ParseInLocation(strings.ReplaceAll(l, ", ", " "), alt, loc); err == nil {
				return sane(t)
			}
		}
	}
	// Month names of other languages, ordinals and the words between a
	// date's parts: "7. Dezember 2026", "7 de diciembre de 2026 a las
	// 14:02", "December 7th, 2026".
	if d, ok := localDate(strings.ToLower(s)); ok {
		if t, ok, fits := inLayouts(d, localLayouts, localYearless, loc, now); fits {
			return t, ok
		}
	}
	// "Posted on Mar 9, 2026", "Edited 2 hours ago", "publié le 7 mars".
	if rest, ok := unlabel(s); ok {
		return Parse(rest, o)
	}
	// "Monday, December 7, 2026 3:14 PM": a weekday before a whole date.
	if rest, ok := unweekday(s); ok {
		if t, ok := Parse(rest, o); ok {
			return t, true
		}
	}
	// "2026-12-07 14:02 UTC", "7 Dec 2026 14:02 GMT": a zone named after
	// the time.
	if rest, loc, ok := zoneSuffix(s); ok {
		o.Location = loc
		return Parse(rest, o)
	}
	// "by alice » Mon Dec 07, 2026 3:14 pm" (phpBB's author line): the
	// part after the last separator, else the one before the first
	// ("Mar 9, 2026 · edited").
	if i := strings.LastIndexAny(s, "»|·•"); i >= 0 {
		_, n := utf8.DecodeRuneInString(s[i:])
		if rest := strings.TrimSpace(s[i+n:]); rest != "" {
			if t, ok := Parse(rest, o); ok {
				return t, true
			}
		}
		if head := strings.TrimSpace(s[:strings.IndexAny(s, "»|·•")]); head != "" {
			return Parse(head, o)
		}
	}
	return time.Time{}, false
}

// halfDayWords are the Chinese, Japanese and Korean words for a half of
// the day, the morning's first.
var halfDayWords = []string{"上午", "早上", "早晨", "凌晨", "午前", "오전", "下午", "中午", "晚上", "傍晚", "夜里", "午後", "오후"}

// halfDayRe finds a clock time after one of halfDayWords: "下午9:15",
// "午前 10:00", "오후 3:05".
var halfDayRe = regexp.MustCompile(`(` + strings.Join(halfDayWords, "|") + `)\s*(\d{1,2}:\d{2}(?::\d{2})?)`)

// halfDay rewrites halfDayRe's clock times as the layouts' "9:15 PM"
// (中午 1:00 is 13:00, as "1:00 PM").
func halfDay(s string) string {
	// Looking for the words is much cheaper than the expression, which
	// most times (machine ones, relative ones) never need.
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) ||
		!slices.ContainsFunc(halfDayWords, func(w string) bool { return strings.Contains(s, w) }) {
		return s
	}
	return halfDayRe.ReplaceAllStringFunc(s, func(m string) string {
		g := halfDayRe.FindStringSubmatch(m)
		switch g[1] {
		case "上午", "早上", "早晨", "凌晨", "午前", "오전":
			return g[2] + " AM"
		}
		return g[2] + " PM"
	})
}

var (
	// meridiemDotsRe finds "p.m." and "a.m." (AP style).
	meridiemDotsRe = regexp.MustCompile(`(?i)\b([ap])\.m\.`)
	// weekdayParenRe finds a weekday in brackets inside a date:
	// "2026/12/07(月) 14:02" (Japanese boards), "(Mon)".
	weekdayParenRe = regexp.MustCompile(`\s*\((?:[月火水木金土日一二三四五六天]|[A-Za-z]{2,3})\)\s*`)
	// commentRe is a comment after a time: "+0000 (UTC)".
	commentRe = regexp.MustCompile(`\s+\([^()]*\)$`)
	// cjkClockRe reads "14时02分" and "14時02分33秒".
	cjkClockRe = regexp.MustCompile(`(\d{1,2})[时時点點](\d{1,2})分(?:(\d{1,2})秒)?`)
	// cjkDayClockRe separates "2026年12月7日14:02".
	cjkDayClockRe = regexp.MustCompile(`日(\d)`)
	// frClockRe finds French typography's clock time, spaced and with
	// its minutes named: "12 h 05 min", "12 h 05", "12h05 min".
	frClockRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:\s+h\s*|h\s+)(\d{2})(?:\s*min)?\b|\b(\d{1,2})h(\d{2})\s*min\b`)
	// koDateRe reads Korean "2026. 12. 7." as "2026-12-7".
	koDateRe = regexp.MustCompile(`^(\d{4})\.\s+(\d{1,2})\.\s+(\d{1,2})\.?`)
)

// tidy rewrites what sites put around a date's parts into what the
// layouts read: "3:14 p.m." as "3:14 PM", "Dec 7, 2026 @ 3:14 PM"
// without the "@", a bracketed weekday or trailing comment dropped, "14时02分"
// as "14:02", Korean dotted dates with dashes, and French "12 h 05 min"
// as "12h05".
func tidy(s string) string {
	if strings.Contains(s, ".m.") || strings.Contains(s, ".M.") {
		s = meridiemDotsRe.ReplaceAllStringFunc(s, func(m string) string { return strings.ToUpper(m[:1]) + "M" })
	}
	if strings.Contains(s, " @ ") {
		s = strings.ReplaceAll(s, " @ ", " ")
	}
	if strings.Contains(s, "(") {
		s = commentRe.ReplaceAllString(s, "")
		s = strings.TrimSpace(weekdayParenRe.ReplaceAllString(s, " "))
	}
	if strings.Contains(s, "分") {
		s = cjkClockRe.ReplaceAllStringFunc(s, func(m string) string {
			g := cjkClockRe.FindStringSubmatch(m)
			if g[3] != "" {
				return g[1] + ":" + pad2(g[2]) + ":" + pad2(g[3])
			}
			return g[1] + ":" + pad2(g[2])
		})
	}
	if strings.Contains(s, "日") {
		s = cjkDayClockRe.ReplaceAllString(s, "日 $1")
	}
	if strings.Contains(s, ". ") {
		s = koDateRe.ReplaceAllString(s, "$1-$2-$3")
	}
	if strings.Contains(s, " h") || strings.Contains(s, "min") {
		s = frClockRe.ReplaceAllString(s, "${1}${3}h${2}${4}")
	}
	return s
}

// pad2 gives a one-digit number its leading zero.
func pad2(d string) string {
	if len(d) == 1 {
		return "0" + d
	}
	return d
}

// zoneSuffix splits "2026-12-07 14:02 UTC" into the time and the zone its
// last word names: UTC, GMT, Z or one of zoneOffsets.
func zoneSuffix(s string) (string, *time.Location, bool) {
	i := strings.LastIndexByte(s, ' ')
	if i <= 0 {
		return "", nil, false
	}
	rest, name := strings.TrimSpace(s[:i]), strings.ToUpper(s[i+1:])
	switch name {
	case "UTC", "GMT", "Z", "UT":
		return rest, time.UTC, rest != ""
	}
	if h, ok := zoneOffsets[name]; ok {
		return rest, time.FixedZone(name, h*3600), rest != ""
	}
	return "", nil, false
}

// unweekday strips a weekday's name, and a comma after it, from the
// front of s when more follows.
func unweekday(s string) (string, bool) {
	w, rest, ok := strings.Cut(s, " ")
	if _, day := weekdays[strings.ToLower(strings.TrimRight(w, ".,"))]; !ok || !day {
		return s, false
	}
	rest = strings.TrimSpace(rest)
	return rest, rest != ""
}

// inLayouts reads s by the first layout that fits it: of full, dates
// with a year (ok only for a sane year), then of yearless, dates without
// one, given the year that puts them closest before now. fits is false
// when none does.
func inLayouts(s string, full, yearless []string, loc *time.Location, now time.Time) (t time.Time, ok, fits bool) {
	for _, l := range full {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			t, ok := sane(t)
			return t, ok, true
		}
	}
	for _, l := range yearless {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return inLastYear(t, now.In(loc)), true, true
		}
	}
	return time.Time{}, false, false
}

// inLastYear gives a date shown without a year the year that puts it
// closest before now (a day's grace for zones).
func inLastYear(t, now time.Time) time.Time {
	t = time.Date(now.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, t.Location())
	if t.After(now.Add(24 * time.Hour)) {
		t = t.AddDate(-1, 0, 0)
	}
	return t
}

// sane rejects times outside the years a post can have been written in,
// and gives a time read with a zone abbreviation the source's zone does
// not know its offset (see zoneOffsets).
func sane(t time.Time) (time.Time, bool) {
	if t.Year() < 1990 || t.Year() > 2200 {
		return time.Time{}, false
	}
	if name, off := t.Zone(); off == 0 {
		if h, ok := zoneOffsets[name]; ok {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
				time.FixedZone(name, h*3600))
		}
	}
	return t, true
}

// zoneOffsets are the zone abbreviations RFC 822 defines (feeds' pubDate:
// "Sun, 06 Dec 2026 09:00:00 PST"), in hours east of UTC. Go reads an
// abbreviation the location does not know as UTC with that name; a source
// whose time_zone knows it (CST in Asia/Shanghai) keeps that zone's
// offset.
var zoneOffsets = map[string]int{
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}

// unix reads seconds or milliseconds since the epoch.
func unix(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	if f >= 1e12 { // milliseconds
		return sane(time.UnixMilli(int64(f)).UTC())
	}
	sec := int64(f)
	return sane(time.Unix(sec, int64((f-float64(sec))*1e9)).UTC())
}

// relative reads "5 min ago", "just now", "yesterday 14:02", "3小时前".
func relative(s string, now time.Time) (time.Time, bool) {
	l := strings.ToLower(s)
	switch l {
	case "now", "just now", "moments ago", "a moment ago", "刚刚", "剛剛", "刚才", "たった今", "今",
		"a few seconds ago", "few seconds ago", "seconds ago", "less than a minute ago", "a few moments ago":
		return now, true
	case "today", "今天", "今日":
		return now, true
	case "yesterday", "昨天", "昨日":
		return now.AddDate(0, 0, -1), true
	}
	// "about 3 hours ago", "over 2 years ago" (Rails), "3 hr. ago".
	if strings.HasSuffix(l, " ago") {
		if m := fuzzyRe.FindStringSubmatch(l); m != nil {
			l = m[1]
		}
		if strings.HasSuffix(l, ". ago") {
			l = strings.TrimSuffix(l, ". ago") + " ago"
		}
	}
	// "一小时前", "两个月前", "半小时前", "3 分钟之前".
	if strings.HasSuffix(s, "前") {
		s = cjkCount(strings.Replace(s, "之前", "前", 1))
	}
	if m := shortRe.FindStringSubmatch(l); m != nil { // "5m", "2h", "3d"
		n, _ := strconv.Atoi(m[1])
		return back(now, n, m[2]), true
	}
	if m := unitRe.FindStringSubmatch(l); m != nil {
		n := 1
		if d, err := strconv.Atoi(m[1]); err == nil {
			n = d
		}
		return back(now, n, m[2]), true
	}
	if m := cjkUnitRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return back(now, n, map[string]string{
			"秒": "s", "分钟": "m", "分鐘": "m", "分": "m", "小时": "h", "小時": "h",
			"天": "d", "日": "d", "周": "w", "週": "w", "星期": "w",
			"个月": "mo", "個月": "mo", "月": "mo", "年": "y",
		}[m[2]]), true
	}
	if m := jaUnitRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return back(now, n, map[string]string{
			"秒": "s", "分": "m", "時間": "h", "日": "d", "週間": "w", "か月": "mo", "ヶ月": "mo", "年": "y",
		}[m[2]]), true
	}
	if m := dayTimeRe.FindStringSubmatch(l); m != nil {
		day := now
		switch m[1] {
		case "yesterday", "昨天", "昨日":
			day = now.AddDate(0, 0, -1)
		case "前天":
			day = now.AddDate(0, 0, -2)
		}
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		sec, _ := strconv.Atoi(m[4])
		h = meridiem(h, m[5])
		if h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false
		}
		return time.Date(day.Year(), day.Month(), day.Day(), h, mi, sec, 0, now.Location()), true
	}
	if t, ok := localRelative(l, now); ok {
		return t, true
	}
	return localDay(l, now)
}

// fuzzyRe strips the hedges of Rails' distance_of_time_in_words and
// similar: "about 3 hours ago", "over 2 years ago", "almost 1 year ago".
var fuzzyRe = regexp.MustCompile(`^(?:about|around|over|almost|nearly|roughly|approximately|~)\s+(.+ ago)$`)

// cjkNumRe finds a count in Chinese numerals before a unit: "一小时前",
// "两个月前", "二十分钟前", "半小时前".
var cjkNumRe = regexp.MustCompile(`^([零一二两兩三四五六七八九十]+|半)\s*[个個]?\s*(秒|分钟|分鐘|小时|小時|天|日|周|週|星期|月|年)`)

// cjkCount rewrites cjkNumRe's count in digits ("半小时" is 30 minutes,
// "半天" 12 hours) for cjkUnitRe.
func cjkCount(s string) string {
	m := cjkNumRe.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	num, unit, rest := s[m[2]:m[3]], s[m[4]:m[5]], s[m[5]:]
	if num == "半" {
		switch unit {
		case "小时", "小時":
			return "30分钟" + rest
		case "天", "日":
			return "12小时" + rest
		}
		return s
	}
	digits := map[rune]int{'零': 0, '一': 1, '二': 2, '两': 2, '兩': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range num {
		if r == '十' {
			n += max(cur, 1) * 10
			cur = 0
			continue
		}
		cur = digits[r]
	}
	if unit == "月" {
		unit = "个月"
	}
	return strconv.Itoa(n+cur) + unit + rest
}

// back subtracts n units from now.
func back(now time.Time, n int, unit string) time.Time {
	if n > 100000 {
		n = 100000
	}
	switch unit {
	case "s", "sec", "secs", "second", "seconds":
		return now.Add(-time.Duration(n) * time.Second)
	case "m", "min", "mins", "minute", "minutes":
		return now.Add(-time.Duration(n) * time.Minute)
	case "h", "hr", "hrs", "hour", "hours":
		return now.Add(-time.Duration(n) * time.Hour)
	case "d", "day", "days":
		return now.AddDate(0, 0, -n)
	case "w", "wk", "wks", "week", "weeks":
		return now.AddDate(0, 0, -7*n)
	case "mo", "month", "months":
		return now.AddDate(0, -n, 0)
	case "y", "yr", "yrs", "year", "years":
		return now.AddDate(-n, 0, 0)
	}
	return now
}

// Relative reports whether s is read relative to the time it is read at
// ("3 hours ago", "Yesterday, 09:12", "14:02"): such text names a
// different moment, or the same moment in different words, from one
// crawl to the next, so it cannot help identify a post.
func Relative(s string, o Options) bool {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	a, ok := Parse(s, Options{Now: now, Location: o.Location, Layout: o.Layout})
	if !ok {
		return false
	}
	// Two readings 36 hours apart: a relative time moves, a day word
	// or a bare clock time moves to another day.
	b, _ := Parse(s, Options{Now: now.Add(36 * time.Hour), Location: o.Location, Layout: o.Layout})
	return !a.Equal(b)
}
