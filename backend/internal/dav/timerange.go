package dav

import (
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"
	"github.com/teambition/rrule-go"
)

// calendar-query filters (RFC 4791 9.7): component filters with time ranges (a recurring
// event matches when one of its occurrences overlaps the range; overridden occurrences are
// components of their own), is-not-defined, and prop-filters with a text-match
// (case-insensitive substring) or is-not-defined.

// maxExpand bounds the occurrences looked at for one event.
const maxExpand = 5000

func matchQuery(f caldav.CompFilter, cal *ical.Calendar) (bool, error) {
	if f.Name != "" && !strings.EqualFold(f.Name, cal.Name) {
		return false, nil
	}
	return matchComp(newZones(cal), f, cal.Component)
}

// matchComp: c (already of f's name) passes f's time range, prop and child filters.
func matchComp(z *zones, f caldav.CompFilter, c *ical.Component) (bool, error) {
	if !f.Start.IsZero() || !f.End.IsZero() {
		ok, err := overlaps(z, c, f.Start, f.End)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, pf := range f.Props {
		props := c.Props.Values(pf.Name)
		if pf.IsNotDefined {
			if len(props) > 0 {
				return false, nil
			}
			continue
		}
		if len(props) == 0 {
			return false, nil
		}
		if pf.TextMatch != nil {
			hit := false
			for _, p := range props {
				if strings.Contains(strings.ToLower(p.Value), strings.ToLower(pf.TextMatch.Text)) != pf.TextMatch.NegateCondition {
					hit = true
				}
			}
			if !hit {
				return false, nil
			}
		}
	}
	for _, cf := range f.Comps {
		var kids []*ical.Component
		for _, k := range c.Children {
			if strings.EqualFold(k.Name, cf.Name) {
				kids = append(kids, k)
			}
		}
		if cf.IsNotDefined {
			if len(kids) > 0 {
				return false, nil
			}
			continue
		}
		any := false
		for _, k := range kids {
			ok, err := matchComp(z, cf, k)
			if err != nil {
				return false, err
			}
			if ok {
				any = true
				break
			}
		}
		if !any {
			return false, nil
		}
	}
	return true, nil
}

// overlaps: the component (or one of its occurrences) meets [start, end).
func overlaps(z *zones, c *ical.Component, start, end time.Time) (bool, error) {
	if end.IsZero() {
		end = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var dtstart *when
	var err error
	switch c.Name {
	case ical.CompEvent, ical.CompToDo, ical.CompJournal:
		dtstart, err = z.one(c, ical.PropDateTimeStart)
		if err != nil {
			return false, err
		}
	default:
		return true, nil // VALARM and others: not evaluated
	}
	if dtstart == nil {
		if c.Name == ical.CompToDo { // a task without a start: by its due date, or always
			due, err := z.one(c, ical.PropDue)
			if err != nil || due == nil {
				return due == nil, err
			}
			return due.t.After(start) && !due.t.After(end) || due.t.Equal(start), nil
		}
		return false, nil
	}
	dur := time.Duration(0)
	if c.Name == ical.CompEvent {
		e, err := eventEnd(z, c, *dtstart)
		if err != nil {
			return false, err
		}
		dur = e.Sub(dtstart.t)
	}
	hit := func(s time.Time) bool {
		if dur == 0 {
			return !s.Before(start) && s.Before(end)
		}
		return s.Before(end) && s.Add(dur).After(start)
	}
	rule := c.Props.Get(ical.PropRecurrenceRule)
	if rule == nil {
		return hit(dtstart.t), nil
	}
	opt, err := rrule.StrToROption(rule.Value)
	if err != nil {
		return false, nil // a rule go cannot read: the master's own time only
	}
	opt.Dtstart = dtstart.t
	rr, err := rrule.NewRRule(*opt)
	if err != nil {
		return hit(dtstart.t), nil
	}
	var set rrule.Set
	set.RRule(rr)
	for _, p := range c.Props.Values(ical.PropExceptionDates) {
		for _, v := range strings.Split(p.Value, ",") {
			if w, err := z.parse(&p, v); err == nil {
				set.ExDate(w.t)
			}
		}
	}
	it := set.Iterator()
	for i := 0; i < maxExpand; i++ {
		s, ok := it()
		if !ok || !s.Before(end) {
			return false, nil
		}
		if hit(s) {
			return true, nil
		}
	}
	return false, nil
}
