package imip

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

var partStat = map[int]string{Tentative: "TENTATIVE", Accepted: "ACCEPTED", Declined: "DECLINED"}

var verb = map[int]string{Tentative: "Tentative", Accepted: "Accepted", Declined: "Declined"}

// Reply is the iMIP message (RFC 6047) that tells the organizer of ev the account's answer:
// a METHOD:REPLY with the account as the only ATTENDEE and its PARTSTAT (RFC 5546 3.2.3),
// after a plain text part for a reader without a calendar.
func Reply(ev *pim.Event, self string, response int, comment string, now time.Time) []byte {
	return reply(ev, self, response, comment, now, nil)
}

// Occurrence is one occurrence of a series: its original start (RECURRENCE-ID) and its times.
type Occurrence struct {
	ID, Start, End time.Time
}

// ReplyOccurrence is the reply for one occurrence of ev only: its VEVENT carries the
// occurrence's RECURRENCE-ID and times (RFC 5546 3.2.3), the series keeps its answer.
func ReplyOccurrence(ev *pim.Event, self string, response int, comment string, now time.Time, occ Occurrence) []byte {
	return reply(ev, self, response, comment, now, &occ)
}

func reply(ev *pim.Event, self string, response int, comment string, now time.Time, occ *Occurrence) []byte {
	start, end := ev.Start, ev.End
	if occ != nil {
		start, end = occ.Start, occ.End
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Tessera//iMIP//EN")
	cal.Props.SetText(ical.PropMethod, "REPLY")
	v := ical.NewComponent(ical.CompEvent)
	v.Props.SetText(ical.PropUID, ev.UID)
	seq := ical.NewProp(ical.PropSequence)
	seq.Value = fmt.Sprint(ev.Sequence)
	v.Props.Set(seq)
	v.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
	if ev.AllDay {
		v.Props.SetDate(ical.PropDateTimeStart, start)
		v.Props.SetDate(ical.PropDateTimeEnd, end)
	} else {
		v.Props.SetDateTime(ical.PropDateTimeStart, start.UTC())
		v.Props.SetDateTime(ical.PropDateTimeEnd, end.UTC())
	}
	if occ != nil && ev.AllDay {
		v.Props.SetDate(ical.PropRecurrenceID, occ.ID)
	} else if occ != nil {
		v.Props.SetDateTime(ical.PropRecurrenceID, occ.ID.UTC())
	}
	if ev.Subject != "" {
		v.Props.SetText(ical.PropSummary, icalText(ev.Subject))
	}
	org := ical.NewProp(ical.PropOrganizer)
	org.Value = "mailto:" + ev.OrganizerEmail
	if ev.OrganizerName != "" {
		org.Params.Set(ical.ParamCommonName, paramText(ev.OrganizerName))
	}
	v.Props.Add(org)
	att := ical.NewProp(ical.PropAttendee)
	att.Value = "mailto:" + self
	att.Params.Set(ical.ParamParticipationStatus, partStat[response])
	for _, a := range ev.Attendees {
		if strings.EqualFold(a.Email, self) && a.Name != "" {
			att.Params.Set(ical.ParamCommonName, paramText(a.Name))
		}
	}
	v.Props.Add(att)
	if comment != "" {
		v.Props.SetText(ical.PropComment, icalText(comment))
	}
	cal.Children = append(cal.Children, v)
	var ics bytes.Buffer
	if err := ical.NewEncoder(&ics).Encode(cal); err != nil {
		ics.Reset() // not expected, every value is cleaned above (FuzzScheduling checks it)
	}

	subject := verb[response] + ": " + ev.Subject
	text := self + " " + strings.ToLower(verb[response]) + " the invitation."
	if response == Tentative {
		text = self + " tentatively accepted the invitation."
	}
	if comment != "" {
		text += "\r\n\r\n" + comment
	}
	boundary := token()
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@tessera>\r\nMIME-Version: 1.0\r\n",
		self, ev.OrganizerEmail, mime.QEncoding.Encode("utf-8", subject), now.UTC().Format(time.RFC1123Z), token())
	fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", boundary, text)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/calendar; charset=utf-8; method=REPLY\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", boundary)
	b.Write(ics.Bytes())
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

// icalText is a TEXT value as go-ical writes it: line breaks as "\n" (it escapes those),
// no carriage returns or other control characters (which it refuses).
func icalText(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r < ' ' && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, v)
}

// paramText is a parameter value: one line, no quotes (RFC 5545 3.2 has no escape for them).
func paramText(v string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == '"' || r == 0x7f {
			return -1
		}
		return r
	}, v)
}

func token() string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	return hex.EncodeToString(r[:])
}
