package dav

import (
	"errors"
	"strconv"
	"strings"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// ScheduledEvent is the event of an iMIP message (RFC 6047) as the calendar stores it.
type ScheduledEvent struct {
	Event *pim.Event
	// raw is the text kept under "dav" for what the model does not carry (a recurrence rule
	// EAS cannot express, X- properties), which CalDAV merges back as it does for a PUT's.
	raw string
	// Sequence is the master's SEQUENCE (RFC 5545 3.8.7.4); an organizer's update raises it.
	Sequence int
	// Instances are the occurrences the message carries (RECURRENCE-ID); when it has no
	// master (a CANCEL of single occurrences) Event is nil and only these count.
	Instances []pim.Exception
}

// EventFromScheduling maps the text/calendar part of an invitation, update or cancellation onto
// the model, with its RRULE, EXDATEs and overridden occurrences (RECURRENCE-ID), the same
// mapping as a CalDAV PUT. self is the account's address. METHOD is dropped from the kept text:
// a calendar object resource has none (RFC 4791 4.1).
func EventFromScheduling(text, self string) (*ScheduledEvent, error) {
	cal, err := parseICal(text)
	if err != nil {
		return nil, err
	}
	delete(cal.Props, ical.PropMethod)
	out := &ScheduledEvent{}
	hasMaster := false
	z := newZones(cal)
	for _, c := range cal.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		seq, _ := strconv.Atoi(strings.TrimSpace(propValue(c, ical.PropSequence)))
		out.Sequence = max(out.Sequence, seq)
		if c.Props.Get(ical.PropRecurrenceID) == nil {
			hasMaster = true
			continue
		}
		x, err := exceptionFromICal(z, c, &pim.Event{})
		if err != nil {
			return nil, err
		}
		out.Instances = append(out.Instances, x)
	}
	if !hasMaster { // single occurrences only: the caller applies them to the stored series
		if len(out.Instances) == 0 {
			return nil, errors.New("no VEVENT")
		}
		return out, nil
	}
	if out.Event, err = eventFromICal(cal, self); err != nil {
		return nil, err
	}
	out.Event.Sequence = out.Sequence
	raw, err := encodeICal(cal)
	if err != nil {
		return nil, err
	}
	out.raw = string(raw)
	return out, nil
}

// Props is the Props to store for the event as it is now (the caller may have set the
// account's answer): the model and the kept text, with the resource name a CalDAV client gave
// the item before (old is its Props; "" for a new item).
func (e *ScheduledEvent) Props(old string) (string, error) {
	return withMeta(e.Event, meta{Name: readMeta(old).Name, Raw: e.raw})
}
