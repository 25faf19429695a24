package dav

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// Time values of iCalendar: a DATE, a UTC DATE-TIME, a floating one, or one with a TZID that
// names either an IANA zone Go knows or a VTIMEZONE of the same object (Outlook's "W. Europe
// Standard Time"). The model keeps instants in UTC and the zone as EAS's TimeZone.

const (
	dateLayout  = "20060102"
	localLayout = "20060102T150405"
	utcLayout   = "20060102T150405Z"
)

// when is a parsed DTSTART/DTEND/DUE/RECURRENCE-ID/EXDATE value.
type when struct {
	t      time.Time // the instant (for a DATE: midnight UTC of that day)
	allDay bool
	zone   *pim.TimeZone // nil: UTC or floating
}

// zones resolves TZIDs of one calendar object.
type zones struct {
	cal   *ical.Calendar
	known map[string]*pim.TimeZone
}

func newZones(cal *ical.Calendar) *zones { return &zones{cal: cal, known: map[string]*pim.TimeZone{}} }

// zone turns a TZID into EAS's TimeZone for the year of t.
func (z *zones) zone(tzid string, year int) (*pim.TimeZone, *time.Location, error) {
	if loc, err := time.LoadLocation(strings.TrimPrefix(tzid, "/")); err == nil && tzid != "" && !strings.EqualFold(tzid, "local") {
		return pim.ZoneFromLocation(loc, year), loc, nil
	}
	if tz, ok := z.known[tzid]; ok {
		return tz, nil, nil
	}
	if z.cal != nil {
		for _, c := range z.cal.Children {
			if c.Name == ical.CompTimezone && c.Props.Get(ical.PropTimezoneID) != nil && c.Props.Get(ical.PropTimezoneID).Value == tzid {
				tz, err := fromVTimezone(c)
				if err != nil {
					return nil, nil, err
				}
				z.known[tzid] = tz
				return tz, nil, nil
			}
		}
	}
	return nil, nil, fmt.Errorf("unknown time zone %q (no VTIMEZONE)", tzid)
}

// parse reads one date or date-time value of prop (value: the text, one of a list).
func (z *zones) parse(prop *ical.Prop, value string) (when, error) {
	value = strings.TrimSpace(value)
	if prop.Params.Get(ical.ParamValue) == "DATE" || len(value) == len(dateLayout) {
		d, err := time.ParseInLocation(dateLayout, value, time.UTC)
		if err != nil {
			return when{}, fmt.Errorf("%s: bad date %q", prop.Name, value)
		}
		return when{t: d, allDay: true}, nil
	}
	if strings.HasSuffix(value, "Z") {
		t, err := time.Parse(utcLayout, value)
		if err != nil {
			return when{}, fmt.Errorf("%s: bad date-time %q", prop.Name, value)
		}
		return when{t: t}, nil
	}
	wall, err := time.ParseInLocation(localLayout, value, time.UTC)
	if err != nil {
		return when{}, fmt.Errorf("%s: bad date-time %q", prop.Name, value)
	}
	tzid := prop.Params.Get(ical.PropTimezoneID)
	if tzid == "" { // floating: read as UTC
		return when{t: wall}, nil
	}
	tz, loc, err := z.zone(tzid, wall.Year())
	if err != nil {
		return when{}, fmt.Errorf("%s: %v", prop.Name, err)
	}
	if loc != nil {
		t := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc)
		return when{t: t.UTC(), zone: tz}, nil
	}
	return when{t: fromWall(tz, wall), zone: tz}, nil
}

// one parses a property's single value.
func (z *zones) one(c *ical.Component, name string) (*when, error) {
	p := c.Props.Get(name)
	if p == nil {
		return nil, nil
	}
	w, err := z.parse(p, p.Value)
	return &w, err
}

// fromWall is the instant of a wall-clock time (labelled UTC) in tz.
func fromWall(tz *pim.TimeZone, wall time.Time) time.Time {
	std := -time.Duration(tz.Bias+tz.StandardBias) * time.Minute
	guess := wall.Add(-std)
	return wall.Add(-tz.Offset(guess))
}

// wallIn is t on tz's clock, labelled UTC.
func wallIn(tz *pim.TimeZone, t time.Time) time.Time {
	if tz == nil {
		return t.UTC()
	}
	return t.UTC().Add(tz.Offset(t))
}

// isUTC: the zone is UTC (no offset, no daylight rule), as EAS sends for "no zone".
func isUTC(tz *pim.TimeZone) bool {
	return tz == nil || (tz.Bias == 0 && tz.StandardBias == 0 && tz.DaylightDate.Month == 0)
}

// wellKnown are IANA zones an EAS blob (which has no IANA name; Android sends empty names)
// is matched against, so that answers carry a TZID every client resolves without reading the
// VTIMEZONE. The first with the same offsets and rules wins.
var wellKnown = []string{"Europe/Berlin", "Europe/London", "Europe/Helsinki", "Europe/Moscow", "Europe/Lisbon",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
	"America/Halifax", "America/St_Johns", "America/Sao_Paulo", "America/Mexico_City", "Pacific/Honolulu",
	"Asia/Tokyo", "Asia/Shanghai", "Asia/Kolkata", "Asia/Dubai", "Asia/Singapore", "Asia/Jerusalem", "Asia/Tehran",
	"Australia/Sydney", "Australia/Adelaide", "Australia/Brisbane", "Australia/Perth", "Pacific/Auckland",
	"Africa/Johannesburg", "Africa/Lagos", "Africa/Cairo", "Atlantic/Reykjavik"}

// ianaNames keeps ianaName's answers: every rendered event asks, and LoadLocation reads the
// zone database each time. Zones come from clients, so the map is bounded.
var (
	ianaMu    sync.Mutex
	ianaNames = map[pim.TimeZone]string{}
)

const maxIANANames = 1024

// ianaName finds an IANA zone with tz's offsets and rules ("" when none matches).
func ianaName(tz *pim.TimeZone) string {
	ianaMu.Lock()
	name, ok := ianaNames[*tz]
	ianaMu.Unlock()
	if ok {
		return name
	}
	name = findIANA(tz)
	ianaMu.Lock()
	if len(ianaNames) < maxIANANames {
		ianaNames[*tz] = name
	}
	ianaMu.Unlock()
	return name
}

func findIANA(tz *pim.TimeZone) string {
	if _, err := time.LoadLocation(tz.StandardName); err == nil && strings.Contains(tz.StandardName, "/") {
		return tz.StandardName
	}
	year := time.Now().Year()
	for _, name := range wellKnown {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue
		}
		z := pim.ZoneFromLocation(loc, year)
		if z.Bias == tz.Bias && z.StandardBias == tz.StandardBias && z.DaylightBias == tz.DaylightBias &&
			sameRule(z.StandardDate, tz.StandardDate) && sameRule(z.DaylightDate, tz.DaylightDate) {
			return name
		}
	}
	return ""
}

func sameRule(a, b pim.SystemTime) bool {
	return a.Month == b.Month && (a.Month == 0 || (a.DayOfWeek == b.DayOfWeek && a.Day == b.Day && a.Hour == b.Hour && a.Minute == b.Minute))
}

// tzid is the name an answer gives a zone: an IANA name when one fits.
func tzid(tz *pim.TimeZone) string {
	if name := ianaName(tz); name != "" {
		return name
	}
	name := strings.Map(func(r rune) rune {
		if r < ' ' || r == '"' || r == ';' || r == ':' || r == ',' {
			return -1
		}
		return r
	}, strings.TrimSpace(tz.StandardName))
	if name == "" {
		name = "Tessera " + offsetText(-time.Duration(tz.Bias)*time.Minute)
	}
	return name
}

// setTime writes t into a property: a DATE when allDay, else local time with TZID when the
// zone is not UTC, else UTC.
func setTime(p *ical.Prop, t time.Time, allDay bool, tz *pim.TimeZone) {
	switch {
	case allDay:
		p.SetValueType(ical.ValueDate)
		p.Value = wallIn(tz, t).Format(dateLayout)
	case isUTC(tz):
		p.Value = t.UTC().Format(utcLayout)
	default:
		p.Params.Set(ical.PropTimezoneID, tzid(tz))
		p.Value = wallIn(tz, t).Format(localLayout)
	}
}

func timeProp(name string, t time.Time, allDay bool, tz *pim.TimeZone) *ical.Prop {
	p := ical.NewProp(name)
	setTime(p, t, allDay, tz)
	return p
}

func offsetText(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return fmt.Sprintf("%s%02d%02d", sign, int(d.Hours()), int(d.Minutes())%60)
}

func parseOffset(s string) (int32, error) {
	s = strings.TrimSpace(s)
	if len(s) < 5 || (s[0] != '+' && s[0] != '-') {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil || h > 23 || m > 59 {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	v := int32(h*60 + m)
	if s[0] == '-' {
		v = -v
	}
	return v, nil
}

func propValue(c *ical.Component, name string) string {
	if p := c.Props.Get(name); p != nil {
		return p.Value
	}
	return ""
}
