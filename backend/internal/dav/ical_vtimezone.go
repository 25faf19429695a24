package dav

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// VTIMEZONE ↔ EAS TimeZone: a zone's current yearly STANDARD and DAYLIGHT rules, which is
// all an EAS blob has.

var weekdays = []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// fromVTimezone reads a VTIMEZONE's current STANDARD and DAYLIGHT rules into EAS's form.
func fromVTimezone(c *ical.Component) (*pim.TimeZone, error) {
	tz := &pim.TimeZone{StandardName: c.Props.Get(ical.PropTimezoneID).Value}
	var std, dst *ical.Component
	for _, sub := range c.Children { // the last of each kind is the one in force
		switch sub.Name {
		case "STANDARD":
			std = sub
		case "DAYLIGHT":
			dst = sub
		}
	}
	if std == nil && dst == nil {
		return nil, fmt.Errorf("VTIMEZONE %q without STANDARD", tz.StandardName)
	}
	if std == nil {
		std, dst = dst, nil
	}
	stdOff, err := parseOffset(propValue(std, "TZOFFSETTO"))
	if err != nil {
		return nil, err
	}
	tz.Bias = -stdOff
	if dst == nil {
		return tz, nil
	}
	dstOff, err := parseOffset(propValue(dst, "TZOFFSETTO"))
	if err != nil {
		return nil, err
	}
	tz.DaylightBias = -(dstOff - stdOff)
	tz.DaylightName = tz.StandardName
	if tz.StandardDate, err = ruleDate(std); err != nil {
		return nil, err
	}
	if tz.DaylightDate, err = ruleDate(dst); err != nil {
		return nil, err
	}
	return tz, nil
}

// ruleDate reads a yearly transition (RRULE FREQ=YEARLY;BYMONTH=m;BYDAY=nDD and DTSTART's
// clock) as a SystemTime: Day is the week (5 = last).
func ruleDate(c *ical.Component) (pim.SystemTime, error) {
	var st pim.SystemTime
	start := propValue(c, "DTSTART")
	wall, err := time.Parse(localLayout, strings.TrimSuffix(start, "Z"))
	if err != nil {
		return st, fmt.Errorf("VTIMEZONE: bad DTSTART %q", start)
	}
	st.Hour, st.Minute, st.Second = uint16(wall.Hour()), uint16(wall.Minute()), uint16(wall.Second())
	rule := parseRRule(propValue(c, "RRULE"))
	if rule["FREQ"] != "YEARLY" {
		return st, fmt.Errorf("VTIMEZONE: only yearly rules are understood")
	}
	m, err := strconv.Atoi(rule["BYMONTH"])
	if err != nil || m < 1 || m > 12 {
		return st, fmt.Errorf("VTIMEZONE: bad BYMONTH")
	}
	st.Month = uint16(m)
	n, day, ok := byDay(rule["BYDAY"])
	if !ok {
		return st, fmt.Errorf("VTIMEZONE: bad BYDAY %q", rule["BYDAY"])
	}
	if n < 0 || n > 5 {
		n = 5
	}
	if n == 0 {
		n = 1
	}
	st.Day, st.DayOfWeek = uint16(n), uint16(day)
	return st, nil
}

// byDay reads "2SU", "-1SU" or "SU": the ordinal (0: none) and the weekday (0 = Sunday).
func byDay(s string) (n, day int, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, 0, false
	}
	for i, w := range weekdays {
		if strings.HasSuffix(s, w) {
			if num := s[:len(s)-2]; num != "" {
				v, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
				if err != nil || v < -5 || v > 5 {
					return 0, 0, false
				}
				n = v
			}
			return n, i, true
		}
	}
	return 0, 0, false
}

// vtimezone is a VTIMEZONE for tz with its yearly rules.
func vtimezone(tz *pim.TimeZone) *ical.Component {
	c := ical.NewComponent(ical.CompTimezone)
	c.Props.SetText(ical.PropTimezoneID, tzid(tz))
	std := -time.Duration(tz.Bias+tz.StandardBias) * time.Minute
	if tz.DaylightDate.Month == 0 || tz.StandardDate.Month == 0 {
		s := ical.NewComponent("STANDARD")
		s.Props.Set(&ical.Prop{Name: "DTSTART", Params: ical.Params{}, Value: "19700101T000000"})
		s.Props.Set(&ical.Prop{Name: "TZOFFSETFROM", Params: ical.Params{}, Value: offsetText(std)})
		s.Props.Set(&ical.Prop{Name: "TZOFFSETTO", Params: ical.Params{}, Value: offsetText(std)})
		c.Children = append(c.Children, s)
		return c
	}
	dst := -time.Duration(tz.Bias+tz.DaylightBias) * time.Minute
	rule := func(name string, st pim.SystemTime, from, to time.Duration) *ical.Component {
		s := ical.NewComponent(name)
		n := int(st.Day)
		if n >= 5 {
			n = -1
		}
		day := weekdays[int(st.DayOfWeek)%7]
		start := firstRule(int(st.Month), n, int(st.DayOfWeek)%7).Add(time.Duration(st.Hour)*time.Hour + time.Duration(st.Minute)*time.Minute)
		s.Props.Set(&ical.Prop{Name: "DTSTART", Params: ical.Params{}, Value: start.Format(localLayout)})
		s.Props.Set(&ical.Prop{Name: "TZOFFSETFROM", Params: ical.Params{}, Value: offsetText(from)})
		s.Props.Set(&ical.Prop{Name: "TZOFFSETTO", Params: ical.Params{}, Value: offsetText(to)})
		s.Props.Set(&ical.Prop{Name: "RRULE", Params: ical.Params{}, Value: fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", st.Month, n, day)})
		return s
	}
	c.Children = append(c.Children,
		rule("STANDARD", tz.StandardDate, dst, std),
		rule("DAYLIGHT", tz.DaylightDate, std, dst))
	return c
}

// firstRule is the n-th (−1: last) weekday of month in 1970, the rules' first year.
func firstRule(month, n, weekday int) time.Time {
	first := time.Date(1970, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	if n < 0 {
		last := first.AddDate(0, 1, -1)
		return last.AddDate(0, 0, -((int(last.Weekday()) - weekday + 7) % 7))
	}
	d := first.AddDate(0, 0, (weekday-int(first.Weekday())+7)%7+7*(n-1))
	for d.Month() != first.Month() {
		d = d.AddDate(0, 0, -7)
	}
	return d
}
