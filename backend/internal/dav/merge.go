package dav

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-vcard"
)

// Answers are built from the model (which EAS may have changed since the client's PUT), then
// what the model cannot carry is merged back from the client's own text: its properties the
// mapping does not know (X-…, SEQUENCE, URL, ATTACH, …), its extra alarms when the reminder
// did not change, a recurrence rule EAS cannot express, a photo too large for EAS.

var mappedICal = map[string]map[string]bool{
	ical.CompEvent: set("UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "SUMMARY", "LOCATION", "DESCRIPTION",
		"CATEGORIES", "CLASS", "TRANSP", "X-MICROSOFT-CDO-BUSYSTATUS", "ORGANIZER", "ATTENDEE", "RRULE", "EXDATE",
		"RECURRENCE-ID"),
	ical.CompToDo: set("UID", "DTSTAMP", "DTSTART", "DUE", "DURATION", "SUMMARY", "DESCRIPTION", "CATEGORIES",
		"CLASS", "PRIORITY", "STATUS", "COMPLETED", "RRULE"),
}

var mappedVCard = set("VERSION", "UID", "FN", "N", "NICKNAME", "ORG", "TITLE", "EMAIL", "IMPP", "TEL", "ADR", "BDAY",
	"ANNIVERSARY", "X-ANNIVERSARY", "NOTE", "URL", "CATEGORIES", "X-SPOUSE", "X-MANAGER", "X-ASSISTANT", "X-CHILD",
	"PHOTO", "PRODID", "REV")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// parseICal decodes iCalendar text. go-ical panics on some malformed lines (found by
// FuzzICalendarToEvent: "0;0="); that is a parse error here.
func parseICal(raw string) (cal *ical.Calendar, err error) {
	defer func() {
		if r := recover(); r != nil {
			cal, err = nil, fmt.Errorf("malformed iCalendar")
		}
	}()
	cal, err = ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err == nil && cal == nil {
		err = errors.New("empty iCalendar")
	}
	return cal, err
}

// mergeICal adds to gen what raw has and the mapping does not carry.
func mergeICal(gen *ical.Calendar, raw string) {
	if raw == "" {
		return
	}
	old, err := parseICal(raw)
	if err != nil {
		return
	}
	for name, props := range old.Props {
		if name != ical.PropVersion && name != ical.PropProductID && gen.Props.Get(name) == nil {
			gen.Props[name] = props
		}
	}
	oz, gz := newZones(old), newZones(gen)
	for _, g := range gen.Children {
		mapped := mappedICal[g.Name]
		if mapped == nil {
			continue
		}
		o := sameOccurrence(old, g, oz, gz)
		if o == nil {
			continue
		}
		for name, props := range o.Props {
			switch {
			case name == ical.PropRecurrenceRule && g.Props.Get(name) == nil:
				if _, err := recurrenceFrom(props[0].Value, time.Time{}, oz); errors.Is(err, errUnmappedRule) {
					g.Props[name] = props
				}
			case name == ical.PropStatus && g.Name == ical.CompEvent:
				if g.Props.Get(name) == nil && !strings.EqualFold(props[0].Value, "CANCELLED") {
					g.Props[name] = props
				}
			case !mapped[name] && g.Props.Get(name) == nil:
				g.Props[name] = props
			}
		}
		var genAlarms, rest []*ical.Component
		for _, c := range g.Children {
			if c.Name == ical.CompAlarm {
				genAlarms = append(genAlarms, c)
			} else {
				rest = append(rest, c)
			}
		}
		var oldAlarms []*ical.Component
		for _, c := range o.Children {
			if c.Name == ical.CompAlarm {
				oldAlarms = append(oldAlarms, c)
			} else {
				rest = append(rest, c)
			}
		}
		if sameReminder(reminder(g), reminder(o)) && len(oldAlarms) > 0 && g.Name == ical.CompEvent {
			genAlarms = oldAlarms
		}
		g.Children = append(rest, genAlarms...)
	}
	for _, c := range old.Children {
		switch c.Name {
		case ical.CompEvent, ical.CompToDo, ical.CompJournal, ical.CompTimezone:
		default:
			gen.Children = append(gen.Children, c)
		}
	}
}

func sameReminder(a, b *int) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// sameOccurrence finds g's counterpart in old: the master, or the override of the same
// RECURRENCE-ID instant.
func sameOccurrence(old *ical.Calendar, g *ical.Component, oz, gz *zones) *ical.Component {
	gid := g.Props.Get(ical.PropRecurrenceID)
	for _, o := range old.Children {
		if o.Name != g.Name {
			continue
		}
		oid := o.Props.Get(ical.PropRecurrenceID)
		if (gid == nil) != (oid == nil) {
			continue
		}
		if gid == nil {
			return o
		}
		a, err1 := gz.parse(gid, gid.Value)
		b, err2 := oz.parse(oid, oid.Value)
		if err1 == nil && err2 == nil && a.t.Equal(b.t) {
			return o
		}
	}
	return nil
}

// parseVCard decodes one vCard, a panic of the decoder being a parse error.
func parseVCard(raw string) (card vcard.Card, err error) {
	defer func() {
		if r := recover(); r != nil {
			card, err = nil, fmt.Errorf("malformed vCard")
		}
	}()
	return vcard.NewDecoder(strings.NewReader(raw)).Decode()
}

// mergeVCard adds to gen the fields of raw the mapping does not carry.
func mergeVCard(gen vcard.Card, raw string) {
	if raw == "" {
		return
	}
	old, err := parseVCard(raw)
	if err != nil {
		return
	}
	for name, fields := range old {
		switch {
		case name == vcard.FieldPhoto && gen[name] == nil:
			if b, ok := photoBytes(fields[0]); !ok || len(b) > maxPhoto {
				gen[name] = fields // EAS never had it
			}
		case !mappedVCard[name] && gen[name] == nil:
			gen[name] = fields
		}
	}
	keepUnslotted(gen, old)
}

// keepUnslotted adds back the e-mail addresses, IM addresses and phone numbers of the
// client's card that found no slot in the model (EAS has three e-mails, three IM addresses and
// one or two numbers per kind): the phone never had them, so a change made there cannot have
// removed them. Which ones those are is decided by mapping the client's own card again, so a
// value the phone did delete (it had a slot) is not brought back.
func keepUnslotted(gen, old vcard.Card) {
	c, _, err := contactFromVCard(old)
	if err != nil {
		return
	}
	norm := func(v string) string { return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(v), "tel:")) }
	slotted := map[string]bool{}
	for _, v := range []string{c.Email1, c.Email2, c.Email3, c.IMAddress, c.IMAddress2, c.IMAddress3} {
		slotted[norm(v)] = true
	}
	for _, sl := range phoneSlots(c) {
		slotted[norm(*sl.dst)] = true
	}
	for _, name := range []string{vcard.FieldEmail, vcard.FieldIMPP, vcard.FieldTelephone} {
		have := map[string]bool{}
		for _, f := range gen[name] {
			have[norm(f.Value)] = true
			have[norm(plainAddress(f.Value))] = true
		}
		for _, f := range old[name] {
			v := norm(f.Value)
			if v == "" || slotted[v] || have[v] {
				continue
			}
			gen[name] = append(gen[name], f)
			have[v] = true
		}
	}
}

// encodeVCard writes a card. go-vcard escapes every comma, which breaks a 4.0 PHOTO's data:
// URI (a URI is not escaped, RFC 6350 3.4): those commas are put back.
func encodeVCard(card vcard.Card) ([]byte, error) {
	var b bytes.Buffer
	if err := vcard.NewEncoder(&b).Encode(card); err != nil {
		return nil, err
	}
	lines := strings.Split(b.String(), "\r\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "PHOTO:data:") {
			lines[i] = strings.Replace(l, `;base64\,`, ";base64,", 1)
		}
	}
	return []byte(strings.Join(lines, "\r\n")), nil
}

// scrubICal removes CR and LF from property values and parameters: the decoder lets a bare
// CR through (FuzzICalendarToEvent), the encoder refuses it, and an answer must encode.
func scrubICal(c *ical.Component) {
	clean := func(s string) string { return strings.NewReplacer("\r", "", "\n", "").Replace(s) }
	for name, props := range c.Props {
		for i := range props {
			props[i].Value = clean(props[i].Value)
			for k, vs := range props[i].Params {
				for j := range vs {
					vs[j] = clean(vs[j])
				}
				props[i].Params[k] = vs
			}
		}
		c.Props[name] = props
	}
	for _, child := range c.Children {
		scrubICal(child)
	}
}

// scrubVCard does the same for a card: the encoder escapes a value's LF itself, so only CR
// goes from values, both from parameters.
func scrubVCard(card vcard.Card) {
	for _, fields := range card {
		for _, f := range fields {
			f.Value = strings.ReplaceAll(f.Value, "\r", "")
			for k, vs := range f.Params {
				for j := range vs {
					vs[j] = strings.NewReplacer("\r", "", "\n", "").Replace(vs[j])
				}
				f.Params[k] = vs
			}
		}
	}
}
