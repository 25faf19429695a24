package pim

import (
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// node writes the exception for version v. Deleted and the original start
// come first: Exchange 2003 rejected exceptions that began otherwise, and
// Android still writes them in that order.
func exceptionNode(x *Exception, v int, bodyTruncation int64) *wbxml.Node {
	var o out
	if x.Deleted {
		o.flag("Calendar:Deleted", true)
	}
	if v >= 160 {
		o.compact("AirSyncBase:InstanceId", &x.ExceptionStartTime)
	} else {
		o.compact("Calendar:ExceptionStartTime", &x.ExceptionStartTime)
	}
	if x.Subject != nil {
		o.always("Calendar:Subject", *x.Subject)
	}
	o.compact("Calendar:StartTime", x.Start)
	o.compact("Calendar:EndTime", x.End)
	if x.Location != nil {
		if v >= 160 {
			o.node(wbxml.New("AirSyncBase:Location", wbxml.NewText("DisplayName", *x.Location)))
		} else {
			o.always("Calendar:Location", *x.Location)
		}
	}
	if x.Body != nil {
		o.node(encodeBody(*x.Body, bodyTruncation))
	}
	if x.Categories != nil {
		c := wbxml.New("Calendar:Categories")
		for _, s := range x.Categories {
			c.Add(wbxml.NewText("Category", s))
		}
		o.node(c)
	}
	optNum := func(name string, p *int) {
		if p != nil {
			o.num(name, *p)
		}
	}
	optNum("Calendar:Sensitivity", x.Sensitivity)
	optNum("Calendar:BusyStatus", x.BusyStatus)
	if x.AllDay != nil {
		o.flag("Calendar:AllDayEvent", *x.AllDay)
	}
	optNum("Calendar:Reminder", x.Reminder)
	o.compact("Calendar:DtStamp", x.DtStamp)
	optNum("Calendar:MeetingStatus", x.MeetingStatus)
	o.attendees(x.Attendees, v, true)
	return wbxml.New("Calendar:Exception", o...)
}

// DecodeException reads the fields of one occurrence from n: a
// Calendar:Exception, or in 16.x the ApplicationData of a Change that names
// the occurrence by an AirSyncBase:InstanceId beside its ServerId (the
// engine then passes that InstanceId's time as ExceptionStartTime).
func DecodeException(n *wbxml.Node) (*Exception, error) {
	if n == nil {
		return nil, errors.New("pim: no exception")
	}
	var r reader
	x := r.exception(n)
	if r.err != nil {
		return nil, r.err
	}
	return &x, nil
}

func (r *reader) exception(n *wbxml.Node) Exception {
	var x Exception
	str := func(n *wbxml.Node) *string { s := n.Value(); return &s }
	num := func(n *wbxml.Node) *int { v := r.num(n); return &v }
	for _, c := range n.Children {
		switch c.Name {
		case "Calendar:Deleted":
			x.Deleted = r.flag(c)
		case "Calendar:ExceptionStartTime", "AirSyncBase:InstanceId":
			x.ExceptionStartTime = r.date(c)
		case "Calendar:Subject":
			x.Subject = str(c)
		case "Calendar:Location", "AirSyncBase:Location":
			loc := locationText(c)
			x.Location = &loc
		case "Calendar:StartTime":
			x.Start = r.datePtr(c)
		case "Calendar:EndTime":
			x.End = r.datePtr(c)
		case "AirSyncBase:Body":
			b := decodeBody(c)
			x.Body = &b
		case "Calendar:Body":
			x.Body = str(c)
		case "Calendar:Categories":
			x.Categories = list(c, "Category")
		case "Calendar:Sensitivity":
			x.Sensitivity = num(c)
		case "Calendar:BusyStatus":
			x.BusyStatus = num(c)
		case "Calendar:AllDayEvent":
			b := r.flag(c)
			x.AllDay = &b
		case "Calendar:Reminder":
			x.Reminder = r.numPtr(c)
		case "Calendar:DtStamp":
			x.DtStamp = r.datePtr(c)
		case "Calendar:MeetingStatus":
			x.MeetingStatus = num(c)
		case "Calendar:Attendees":
			x.Attendees = r.attendees(c)
		}
	}
	return x
}
