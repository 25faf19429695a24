package pim

import "time"

// ZoneFromLocation builds the Calendar:Timezone structure for loc from the
// UTC offsets it has during year, for items whose zone the server knows by
// its IANA name (time.LoadLocation("Europe/Berlin")).
//
// The lower offset of the year is standard time and the higher daylight
// time, whatever tzdata flags as DST (Europe/Dublin flags winter). Each
// switch becomes a SYSTEMTIME rule: month, weekday, its week of the month
// (5 when it is the month's last such weekday, the form Windows uses for
// "last Sunday") and the wall-clock time read on the clock in force before
// the switch, so Europe/Berlin gives March, last Sunday, 02:00 and October,
// last Sunday, 03:00. Both names are the IANA name, cut to 31 characters.
// A zone whose offset changes once in the year (a reform, not daylight
// time) gets the offset in force at the year's end and no rule.
func ZoneFromLocation(loc *time.Location, year int) *TimeZone {
	type change struct {
		at       time.Time // first second on the new offset
		from, to int
	}
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	_, prev := start.In(loc).Zone()
	lo, hi := prev, prev
	var changes []change
	// Six-hour steps cannot skip a switch and back; a binary search then
	// finds the second it happens.
	for t := start; t.Before(end); t = t.Add(6 * time.Hour) {
		next := t.Add(6 * time.Hour)
		_, off := next.In(loc).Zone()
		if off == prev {
			continue
		}
		a, b := t, next
		for b.Sub(a) > time.Second {
			m := a.Add(b.Sub(a) / 2)
			if _, o := m.In(loc).Zone(); o == prev {
				a = m
			} else {
				b = m
			}
		}
		changes = append(changes, change{b, prev, off})
		lo, hi, prev = min(lo, off), max(hi, off), off
	}
	name := loc.String()
	z := &TimeZone{Bias: int32(-lo / 60), StandardName: name, DaylightName: name}
	if lo == hi {
		return z
	}
	var toStd, toDST *change
	for i := range changes {
		c := &changes[i]
		if c.to == hi && toDST == nil {
			toDST = c
		}
		if c.to == lo && toStd == nil && c.from == hi {
			toStd = c
		}
	}
	if toStd == nil || toDST == nil || toDST.from != lo {
		z.Bias = int32(-prev / 60)
		return z
	}
	z.DaylightBias = int32(-(hi - lo) / 60)
	z.DaylightDate = ruleAt(toDST.at.Add(time.Duration(toDST.from) * time.Second))
	z.StandardDate = ruleAt(toStd.at.Add(time.Duration(toStd.from) * time.Second))
	return z
}

// ruleAt is the yearly SYSTEMTIME rule that falls on wall.
func ruleAt(wall time.Time) SystemTime {
	week := (wall.Day()-1)/7 + 1
	if wall.Day()+7 > daysIn(wall.Year(), wall.Month()) {
		week = 5
	}
	return SystemTime{
		Month:     uint16(wall.Month()),
		DayOfWeek: uint16(wall.Weekday()),
		Day:       uint16(week),
		Hour:      uint16(wall.Hour()),
		Minute:    uint16(wall.Minute()),
		Second:    uint16(wall.Second()),
	}
}
