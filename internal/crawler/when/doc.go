// Package when turns the dates and times that web pages and APIs show into
// time.Time values.
//
// It understands absolute times in the common machine and human formats
// (RFC 3339, RFC 1123, "2006-01-02 15:04", "Jan 2, 2006 3:04 PM", unix
// seconds and milliseconds, a source's own layout) and relative ones ("5 min
// ago", "yesterday 14:02", "3小时前", "刚刚", "昨天 14:02") measured from the
// fetch time, in the languages the analyzer scores ("vor 2 Stunden", "il y a
// une heure", "hace 3 horas", "há 2 horas", "2 ore fa", "منذ ساعتين", "2 घंटे
// पहले", "gestern um 14:02", "9. März 2026", "7 de diciembre de 2026"). It does not guess: a string it cannot read is reported as
// unparsed, and the caller decides what to use instead.
package when
