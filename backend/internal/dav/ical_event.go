package dav

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

var icalPropUntil = ical.Prop{Name: "UNTIL"}

// masterAndOverrides splits an object's components of kind: the master (no RECURRENCE-ID)
// and the overridden occurrences. RFC 4791 4.1: one UID per object.
func masterAndOverrides(cal *ical.Calendar, kind string) (*ical.Component, []*ical.Component, error) {
	if cal == nil || cal.Component == nil || cal.Name != ical.CompCalendar {
		return nil, nil, errors.New("not a VCALENDAR")
	}
	var master *ical.Component
	var overrides []*ical.Component
	uid := ""
	for _, c := range cal.Children {
		switch c.Name {
		case ical.CompTimezone:
			continue
		case ical.CompEvent, ical.CompToDo, ical.CompJournal:
		default:
			continue
		}
		if c.Name != kind {
			return nil, nil, fmt.Errorf("a %s in a collection of %s", c.Name, kind)
		}
		u := propValue(c, ical.PropUID)
		if u == "" {
			return nil, nil, fmt.Errorf("%s without UID", kind)
		}
		if uid != "" && u != uid {
			return nil, nil, errors.New("components with different UIDs in one object")
		}
		uid = u
		if c.Props.Get(ical.PropRecurrenceID) != nil {
			overrides = append(overrides, c)
		} else if master != nil {
			return nil, nil, fmt.Errorf("two %s without RECURRENCE-ID", kind)
		} else {
			master = c
		}
	}
	if master == nil {
		return nil, nil, fmt.Errorf("no %s", kind)
	}
	return master, overrides, nil
}

// eventFromICal maps a VCALENDAR with one VEVENT (and its overrides) onto the model. self is
// the account's address: a meeting it organizes is MeetingStatus 1, one it received 3.
func eventFromICal(cal *ical.Calendar, self string) (*pim.Event, error) {
	master, overrides, err := masterAndOverrides(cal, ical.CompEvent)
	if err != nil {
		return nil, err
	}
	z := newZones(cal)
	e := &pim.Event{UID: propValue(master, ical.PropUID), BusyStatus: 2}
	start, err := z.one(master, ical.PropDateTimeStart)
	if err != nil {
		return nil, err
	}
	if start == nil {
		return nil, errors.New("VEVENT without DTSTART")
	}
	e.Start, e.AllDay, e.Zone = start.t, start.allDay, start.zone
	end, err := eventEnd(z, master, *start)
	if err != nil {
		return nil, err
	}
	e.End = end
	if e.Zone != nil {
		e.TimeZone = e.Zone.Blob()
	}
	if err := commonFromICal(master, &e.Subject, &e.Location, &e.Body, &e.Categories, &e.Sensitivity); err != nil {
		return nil, err
	}
	if st, err := z.one(master, ical.PropDateTimeStamp); err == nil && st != nil {
		e.DtStamp = st.t
	}
	e.BusyStatus = busyStatus(master)
	e.Reminder = reminder(master)
	e.OrganizerName, e.OrganizerEmail = person(master.Props.Get(ical.PropOrganizer))
	for _, p := range master.Props.Values(ical.PropAttendee) {
		e.Attendees = append(e.Attendees, attendee(&p))
	}
	if len(e.Attendees) > 0 || e.OrganizerEmail != "" {
		e.MeetingStatus = 3
		if e.OrganizerEmail == "" || strings.EqualFold(e.OrganizerEmail, self) {
			e.MeetingStatus = 1
		}
		if strings.EqualFold(propValue(master, ical.PropStatus), "CANCELLED") {
			e.MeetingStatus += 4
		}
	}
	if rule := master.Props.Get(ical.PropRecurrenceRule); rule != nil {
		e.Recurrence, err = recurrenceFrom(rule.Value, wallIn(e.Zone, e.Start), z)
		if errors.Is(err, errUnmappedRule) {
			e.Recurrence, err = nil, nil // kept in the raw text only
		}
		if err != nil {
			return nil, err
		}
	}
	for _, p := range master.Props.Values(ical.PropExceptionDates) {
		for _, v := range strings.Split(p.Value, ",") {
			w, err := z.parse(&p, v)
			if err != nil {
				return nil, err
			}
			e.Exceptions = append(e.Exceptions, pim.Exception{ExceptionStartTime: w.t, Deleted: true})
		}
	}
	for _, o := range overrides {
		x, err := exceptionFromICal(z, o, e)
		if err != nil {
			return nil, err
		}
		e.Exceptions = append(e.Exceptions, x)
	}
	return e, nil
}

func eventEnd(z *zones, c *ical.Component, start when) (time.Time, error) {
	end, err := z.one(c, ical.PropDateTimeEnd)
	if err != nil {
		return time.Time{}, err
	}
	if end != nil {
		if end.t.Before(start.t) {
			return time.Time{}, errors.New("DTEND before DTSTART")
		}
		return end.t, nil
	}
	if d := c.Props.Get(ical.PropDuration); d != nil {
		dur, err := d.Duration()
		if err != nil || dur < 0 {
			return time.Time{}, fmt.Errorf("bad DURATION %q", d.Value)
		}
		return start.t.Add(dur), nil
	}
	if start.allDay {
		return start.t.Add(24 * time.Hour), nil
	}
	return start.t, nil
}

// commonFromICal reads the properties events and tasks share.
func commonFromICal(c *ical.Component, subject, location, body *string, categories *[]string, sensitivity *int) error {
	for name, dst := range map[string]*string{ical.PropSummary: subject, ical.PropLocation: location, ical.PropDescription: body} {
		if dst == nil {
			continue
		}
		if p := c.Props.Get(name); p != nil {
			v, err := p.Text()
			if err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
			*dst = v
		}
	}
	for _, p := range c.Props.Values(ical.PropCategories) {
		l, err := p.TextList()
		if err != nil {
			return fmt.Errorf("CATEGORIES: %v", err)
		}
		for _, s := range l {
			if s = strings.TrimSpace(s); s != "" {
				*categories = append(*categories, s)
			}
		}
	}
	switch strings.ToUpper(propValue(c, ical.PropClass)) {
	case "PRIVATE":
		*sensitivity = 2
	case "CONFIDENTIAL":
		*sensitivity = 3
	}
	return nil
}

func busyStatus(c *ical.Component) int {
	switch strings.ToUpper(propValue(c, "X-MICROSOFT-CDO-BUSYSTATUS")) {
	case "FREE":
		return 0
	case "TENTATIVE":
		return 1
	case "OOF":
		return 3
	case "WORKINGELSEWHERE":
		return 4
	case "BUSY":
		return 2
	}
	if strings.EqualFold(propValue(c, ical.PropTransparency), "TRANSPARENT") {
		return 0
	}
	return 2
}

// reminder is the minutes before the start of the first VALARM with a relative trigger.
func reminder(c *ical.Component) *int {
	for _, a := range c.Children {
		if a.Name != ical.CompAlarm {
			continue
		}
		t := a.Props.Get(ical.PropTrigger)
		if t == nil || strings.EqualFold(t.Params.Get(ical.ParamRelated), "END") || t.ValueType() == ical.ValueDateTime {
			continue
		}
		d, err := t.Duration()
		if err != nil {
			continue
		}
		m := int(-d / time.Minute)
		if m < 0 {
			m = 0
		}
		return &m
	}
	return nil
}

// person reads an ORGANIZER or ATTENDEE: its CN and its mailto address.
func person(p *ical.Prop) (name, email string) {
	if p == nil {
		return "", ""
	}
	email = p.Value
	if len(email) >= 7 && strings.EqualFold(email[:7], "mailto:") {
		email = email[7:]
	}
	return p.Params.Get(ical.ParamCommonName), strings.TrimSpace(email)
}

var partStats = map[string]int{"TENTATIVE": 2, "ACCEPTED": 3, "DECLINED": 4, "NEEDS-ACTION": 5}

func attendee(p *ical.Prop) pim.Attendee {
	a := pim.Attendee{Type: 1}
	a.Name, a.Email = person(p)
	a.Status = partStats[strings.ToUpper(p.Params.Get(ical.ParamParticipationStatus))]
	if strings.EqualFold(p.Params.Get(ical.ParamRole), "OPT-PARTICIPANT") {
		a.Type = 2
	}
	if cu := strings.ToUpper(p.Params.Get(ical.ParamCalendarUserType)); cu == "RESOURCE" || cu == "ROOM" {
		a.Type = 3
	}
	return a
}

// exceptionFromICal maps an overridden occurrence; fields equal to the series' stay unset.
func exceptionFromICal(z *zones, o *ical.Component, e *pim.Event) (pim.Exception, error) {
	var x pim.Exception
	rid := o.Props.Get(ical.PropRecurrenceID)
	w, err := z.parse(rid, rid.Value)
	if err != nil {
		return x, err
	}
	x.ExceptionStartTime = w.t
	start, err := z.one(o, ical.PropDateTimeStart)
	if err != nil {
		return x, err
	}
	if start == nil {
		start = &w
	}
	end, err := eventEnd(z, o, *start)
	if err != nil {
		return x, err
	}
	if o.Props.Get(ical.PropDateTimeEnd) == nil && o.Props.Get(ical.PropDuration) == nil {
		end = start.t.Add(e.End.Sub(e.Start))
	}
	x.Start, x.End = &start.t, &end
	if start.allDay != e.AllDay {
		x.AllDay = &start.allDay
	}
	var subject, location, body string
	var cats []string
	sens := 0
	if err := commonFromICal(o, &subject, &location, &body, &cats, &sens); err != nil {
		return x, err
	}
	if subject != e.Subject {
		x.Subject = &subject
	}
	if location != e.Location {
		x.Location = &location
	}
	if body != e.Body {
		x.Body = &body
	}
	if cats != nil {
		x.Categories = cats
	}
	if b := busyStatus(o); b != e.BusyStatus {
		x.BusyStatus = &b
	}
	if r := reminder(o); r != nil {
		x.Reminder = r
	}
	if strings.EqualFold(propValue(o, ical.PropStatus), "CANCELLED") {
		x.Deleted = true
	}
	for _, p := range o.Props.Values(ical.PropAttendee) {
		x.Attendees = append(x.Attendees, attendee(&p))
	}
	return x, nil
}
