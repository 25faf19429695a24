package dav

import (
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

const prodID = "-//Tessera//DAV//EN"

func newCalendar() *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, prodID)
	return cal
}

func textProp(c *ical.Component, name, v string) {
	if v != "" {
		c.Props.SetText(name, v)
	}
}

// eventToICal builds the VCALENDAR of an event: the VTIMEZONE of its zone, the master VEVENT
// and one VEVENT per changed occurrence (deleted occurrences are EXDATEs).
func eventToICal(e *pim.Event, uid string, stamp time.Time) *ical.Calendar {
	cal := newCalendar()
	zone := e.Zone
	if zone == nil && e.TimeZone != "" {
		zone, _ = pim.ParseTimeZone(e.TimeZone)
	}
	if !isUTC(zone) && !e.AllDay {
		cal.Children = append(cal.Children, vtimezone(zone))
	}
	if e.UID != "" {
		uid = e.UID
	}
	m := ical.NewComponent(ical.CompEvent)
	m.Props.SetText(ical.PropUID, uid)
	if e.DtStamp.IsZero() {
		m.Props.Set(timeProp(ical.PropDateTimeStamp, stamp, false, nil))
	} else {
		m.Props.Set(timeProp(ical.PropDateTimeStamp, e.DtStamp, false, nil))
	}
	m.Props.Set(timeProp(ical.PropDateTimeStart, e.Start, e.AllDay, zone))
	end := e.End
	if e.AllDay && !end.After(e.Start) {
		end = e.Start.Add(24 * time.Hour)
	}
	m.Props.Set(timeProp(ical.PropDateTimeEnd, end, e.AllDay, zone))
	commonToICal(m, e.Subject, e.Location, e.Body, e.Categories, e.Sensitivity)
	busyToICal(m, e.BusyStatus)
	if e.OrganizerEmail != "" {
		p := ical.NewProp(ical.PropOrganizer)
		if e.OrganizerName != "" {
			p.Params.Set(ical.ParamCommonName, e.OrganizerName)
		}
		p.Value = "mailto:" + e.OrganizerEmail
		m.Props.Add(p)
	}
	for _, a := range e.Attendees {
		m.Props.Add(attendeeProp(a))
	}
	if e.MeetingStatus&4 != 0 {
		m.Props.SetText(ical.PropStatus, "CANCELLED")
	}
	if e.Recurrence != nil {
		m.Props.Set(&ical.Prop{Name: ical.PropRecurrenceRule, Params: ical.Params{}, Value: rruleText(e.Recurrence)})
	}
	if e.Reminder != nil {
		m.Children = append(m.Children, alarm(*e.Reminder, e.Subject))
	}
	var overrides []*ical.Component
	for i := range e.Exceptions {
		x := &e.Exceptions[i]
		if x.Deleted {
			m.Props.Add(timeProp(ical.PropExceptionDates, x.ExceptionStartTime, e.AllDay, zone))
			continue
		}
		overrides = append(overrides, overrideToICal(e, x, uid, zone, stamp))
	}
	cal.Children = append(cal.Children, m)
	cal.Children = append(cal.Children, overrides...)
	return cal
}

func overrideToICal(e *pim.Event, x *pim.Exception, uid string, zone *pim.TimeZone, stamp time.Time) *ical.Component {
	o := ical.NewComponent(ical.CompEvent)
	o.Props.SetText(ical.PropUID, uid)
	o.Props.Set(timeProp(ical.PropDateTimeStamp, stamp, false, nil))
	o.Props.Set(timeProp(ical.PropRecurrenceID, x.ExceptionStartTime, e.AllDay, zone))
	allDay := e.AllDay
	if x.AllDay != nil {
		allDay = *x.AllDay
	}
	start := x.ExceptionStartTime
	if x.Start != nil {
		start = *x.Start
	}
	end := start.Add(e.End.Sub(e.Start))
	if x.End != nil {
		end = *x.End
	}
	o.Props.Set(timeProp(ical.PropDateTimeStart, start, allDay, zone))
	o.Props.Set(timeProp(ical.PropDateTimeEnd, end, allDay, zone))
	pick := func(p *string, base string) string {
		if p != nil {
			return *p
		}
		return base
	}
	cats := e.Categories
	if x.Categories != nil {
		cats = x.Categories
	}
	commonToICal(o, pick(x.Subject, e.Subject), pick(x.Location, e.Location), pick(x.Body, e.Body), cats, e.Sensitivity)
	busy := e.BusyStatus
	if x.BusyStatus != nil {
		busy = *x.BusyStatus
	}
	busyToICal(o, busy)
	if e.OrganizerEmail != "" {
		p := ical.NewProp(ical.PropOrganizer)
		if e.OrganizerName != "" {
			p.Params.Set(ical.ParamCommonName, e.OrganizerName)
		}
		p.Value = "mailto:" + e.OrganizerEmail
		o.Props.Add(p)
	}
	atts := e.Attendees
	if x.Attendees != nil {
		atts = x.Attendees
	}
	for _, a := range atts {
		o.Props.Add(attendeeProp(a))
	}
	if r := x.Reminder; r != nil {
		o.Children = append(o.Children, alarm(*r, pick(x.Subject, e.Subject)))
	} else if e.Reminder != nil {
		o.Children = append(o.Children, alarm(*e.Reminder, pick(x.Subject, e.Subject)))
	}
	return o
}

func commonToICal(c *ical.Component, subject, location, body string, categories []string, sensitivity int) {
	textProp(c, ical.PropSummary, subject)
	textProp(c, ical.PropLocation, location)
	textProp(c, ical.PropDescription, strings.ReplaceAll(body, "\r\n", "\n"))
	if len(categories) > 0 {
		p := ical.NewProp(ical.PropCategories)
		p.SetTextList(categories)
		c.Props.Set(p)
	}
	switch sensitivity {
	case 1, 2:
		c.Props.SetText(ical.PropClass, "PRIVATE")
	case 3:
		c.Props.SetText(ical.PropClass, "CONFIDENTIAL")
	}
}

var busyNames = map[int]string{0: "FREE", 1: "TENTATIVE", 2: "BUSY", 3: "OOF", 4: "WORKINGELSEWHERE"}

func busyToICal(c *ical.Component, busy int) {
	if busy == 0 {
		c.Props.SetText(ical.PropTransparency, "TRANSPARENT")
	} else {
		c.Props.SetText(ical.PropTransparency, "OPAQUE")
	}
	if n, ok := busyNames[busy]; ok {
		c.Props.Set(&ical.Prop{Name: "X-MICROSOFT-CDO-BUSYSTATUS", Params: ical.Params{}, Value: n})
	}
}

var partStatNames = map[int]string{2: "TENTATIVE", 3: "ACCEPTED", 4: "DECLINED", 5: "NEEDS-ACTION"}

func attendeeProp(a pim.Attendee) *ical.Prop {
	p := ical.NewProp(ical.PropAttendee)
	if a.Name != "" {
		p.Params.Set(ical.ParamCommonName, a.Name)
	}
	if s, ok := partStatNames[a.Status]; ok {
		p.Params.Set(ical.ParamParticipationStatus, s)
	}
	switch a.Type {
	case 2:
		p.Params.Set(ical.ParamRole, "OPT-PARTICIPANT")
	case 3:
		p.Params.Set(ical.ParamCalendarUserType, "RESOURCE")
	default:
		p.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
	}
	p.Value = "mailto:" + a.Email
	return p
}

func alarm(minutes int, what string) *ical.Component {
	a := ical.NewComponent(ical.CompAlarm)
	a.Props.SetText(ical.PropAction, "DISPLAY")
	if what == "" {
		what = "Reminder"
	}
	a.Props.SetText(ical.PropDescription, what)
	a.Props.Set(&ical.Prop{Name: ical.PropTrigger, Params: ical.Params{}, Value: fmt.Sprintf("-PT%dM", minutes)})
	return a
}
