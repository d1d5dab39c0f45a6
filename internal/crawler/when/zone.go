package when

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// offsetRe reads a fixed offset from UTC: "+08:00", "+0800", "UTC+8",
// "GMT-5".
var offsetRe = regexp.MustCompile(`^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// Zone reads a source's time_zone: an IANA name ("Asia/Shanghai"), which
// follows daylight saving time, or a fixed offset ("+08:00", "UTC+8").
func Zone(name string) (*time.Location, error) {
	if m := offsetRe.FindStringSubmatch(name); m != nil {
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		if h > 14 || mi > 59 {
			return nil, fmt.Errorf("unknown time zone %q: an offset is at most 14 hours", name)
		}
		off := h*3600 + mi*60
		if m[1] == "-" {
			off = -off
		}
		return time.FixedZone(name, off), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q (want an IANA name such as Asia/Shanghai or America/New_York, or an offset such as +08:00)", name)
	}
	return loc, nil
}
