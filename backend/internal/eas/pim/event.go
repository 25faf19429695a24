package pim

import (
	"errors"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// EncodeEvent builds the ApplicationData children for e. By version:
// 12.1 has no response elements; 14.0 adds ResponseRequested, ResponseType
// and DisallowNewTimeProposal; 14.1 adds Recurrence FirstDayOfWeek; 16.x
// sends the location as an AirSyncBase:Location container, names an
// exception by AirSyncBase:InstanceId instead of ExceptionStartTime, and
// requires AttendeeType (1, required, when unknown).
func EncodeEvent(e *Event, version string, bodyTruncation int64) []*wbxml.Node {
	v := versionNum(version)
	var o out
	o.always("Calendar:Timezone", timeZoneBlob(e))
	o.compact("Calendar:DtStamp", &e.DtStamp)
	o.compact("Calendar:StartTime", &e.Start)
	o.compact("Calendar:EndTime", &e.End)
	o.text("Calendar:Subject", e.Subject)
	o.text("Calendar:UID", e.UID)
	o.text("Calendar:OrganizerName", e.OrganizerName)
	o.text("Calendar:OrganizerEmail", e.OrganizerEmail)
	o.attendees(e.Attendees, v, false)
	o.location(e.Location, v)
	if e.Recurrence != nil {
		o.node(recurrenceNode("Calendar", e.Recurrence, v, (*out).compact, nil))
	}
	o.node(encodeBody(e.Body, bodyTruncation))
	o.num("Calendar:Sensitivity", e.Sensitivity)
	o.num("Calendar:BusyStatus", e.BusyStatus)
	o.flag("Calendar:AllDayEvent", e.AllDay)
	if e.Reminder != nil {
		o.num("Calendar:Reminder", *e.Reminder)
	}
	if len(e.Exceptions) > 0 {
		x := wbxml.New("Calendar:Exceptions")
		for i := range e.Exceptions {
			x.Add(exceptionNode(&e.Exceptions[i], v, bodyTruncation))
		}
		o.node(x)
	}
	o.list("Calendar:Categories", "Category", e.Categories)
	o.num("Calendar:MeetingStatus", e.MeetingStatus)
	if v >= 140 {
		if e.ResponseRequested {
			o.flag("Calendar:ResponseRequested", true)
		}
		if e.ResponseType != 0 {
			o.num("Calendar:ResponseType", e.ResponseType)
		}
		if e.DisallowNewTimeProposal {
			o.flag("Calendar:DisallowNewTimeProposal", true)
		}
	}
	o.always("AirSyncBase:NativeBodyType", bodyText)
	return o
}

// timeZoneBlob is what goes into Calendar:Timezone. It is always sent:
// MS-ASCAL makes it optional from 12.0 on, but devices place all-day events
// and expand recurrences in it, so a missing zone leaves them guessing
// (z-push and grommunio-sync refuse to send a recurring event without one).
func timeZoneBlob(e *Event) string {
	switch {
	case e.TimeZone != "":
		return e.TimeZone
	case e.Zone != nil:
		return e.Zone.Blob()
	}
	return UTCTimeZone().Blob()
}

// location writes the place in the form of version v.
func (o *out) location(loc string, v int) {
	if loc == "" {
		return
	}
	if v >= 160 {
		o.node(wbxml.New("AirSyncBase:Location", wbxml.NewText("DisplayName", loc)))
		return
	}
	o.always("Calendar:Location", loc)
}

// attendees writes the Attendees container; in an exception an empty list
// is written too, since it overrides the series' attendees.
func (o *out) attendees(list []Attendee, v int, evenEmpty bool) {
	if len(list) == 0 && !(evenEmpty && list != nil) {
		return
	}
	c := wbxml.New("Calendar:Attendees")
	for _, a := range list {
		typ := a.Type
		if typ == 0 && v >= 160 {
			typ = 1
		}
		var ao out
		ao.always("Calendar:Email", a.Email)
		ao.always("Calendar:Name", a.Name)
		ao.num("Calendar:AttendeeStatus", a.Status)
		if typ != 0 {
			ao.num("Calendar:AttendeeType", typ)
		}
		c.Add(wbxml.New("Calendar:Attendee", ao...))
	}
	o.node(c)
}

// DecodeEvent reads an event a device sent. BusyStatus defaults to busy,
// the value Exchange assumes when a client leaves it out.
func DecodeEvent(ad *wbxml.Node) (*Event, error) {
	if ad == nil {
		return nil, errors.New("pim: no ApplicationData")
	}
	e := &Event{BusyStatus: 2}
	var r reader
	for _, n := range ad.Children {
		switch n.Name {
		case "Calendar:Timezone":
			e.TimeZone, e.Zone = r.timeZone(n)
		case "Calendar:DtStamp":
			e.DtStamp = r.date(n)
		case "Calendar:StartTime":
			e.Start = r.date(n)
		case "Calendar:EndTime":
			e.End = r.date(n)
		case "Calendar:Subject":
			e.Subject = n.Value()
		case "Calendar:UID":
			e.UID = n.Value()
		case "Calendar:ClientUid":
			e.ClientUID = n.Value()
		case "Calendar:OrganizerName":
			e.OrganizerName = n.Value()
		case "Calendar:OrganizerEmail":
			e.OrganizerEmail = n.Value()
		case "Calendar:Attendees":
			e.Attendees = nonEmptyAttendees(r.attendees(n))
		case "Calendar:Location", "AirSyncBase:Location":
			e.Location = locationText(n)
		case "Calendar:Recurrence":
			e.Recurrence = &Recurrence{}
			r.decodeRecurrence(n, "Calendar", e.Recurrence, nil)
		case "AirSyncBase:Body":
			e.Body = decodeBody(n)
		case "Calendar:Body":
			e.Body = n.Value()
		case "Calendar:Sensitivity":
			e.Sensitivity = r.num(n)
		case "Calendar:BusyStatus":
			e.BusyStatus = r.num(n)
		case "Calendar:AllDayEvent":
			e.AllDay = r.flag(n)
		case "Calendar:Reminder":
			e.Reminder = r.numPtr(n)
		case "Calendar:Exceptions":
			for _, x := range n.All("Exception") {
				e.Exceptions = append(e.Exceptions, r.exception(x))
			}
		case "Calendar:Categories":
			e.Categories = nonEmpty(list(n, "Category"))
		case "Calendar:MeetingStatus":
			e.MeetingStatus = r.num(n)
		case "Calendar:ResponseRequested":
			e.ResponseRequested = r.flag(n)
		case "Calendar:ResponseType":
			e.ResponseType = r.num(n)
		case "Calendar:DisallowNewTimeProposal":
			e.DisallowNewTimeProposal = r.flag(n)
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return e, nil
}

func (r *reader) timeZone(n *wbxml.Node) (string, *TimeZone) {
	raw := strings.TrimSpace(n.Value())
	if raw == "" {
		return "", nil
	}
	z, err := ParseTimeZone(raw)
	if err != nil {
		r.fail(n, "time zone", err)
	}
	return raw, z
}

// numPtr reads an element whose empty form means "none" (Reminder).
func (r *reader) numPtr(n *wbxml.Node) *int {
	if strings.TrimSpace(n.Value()) == "" {
		return nil
	}
	v := r.num(n)
	return &v
}

func (r *reader) attendees(n *wbxml.Node) []Attendee {
	list := []Attendee{}
	for _, a := range n.All("Attendee") {
		att := Attendee{Email: a.TextOf("Email"), Name: a.TextOf("Name")}
		if s := a.Child("AttendeeStatus"); s != nil {
			att.Status = r.num(s)
		}
		if t := a.Child("AttendeeType"); t != nil {
			att.Type = r.num(t)
		}
		list = append(list, att)
	}
	return list
}

func nonEmptyAttendees(a []Attendee) []Attendee {
	if len(a) == 0 {
		return nil
	}
	return a
}

// locationText reads Calendar:Location text or the 16.x container, whose
// DisplayName is what the device shows.
func locationText(n *wbxml.Node) string {
	if n.Namespace() == "AirSyncBase" {
		return n.TextOf("DisplayName")
	}
	return n.Value()
}
