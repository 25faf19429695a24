package mailbox

import (
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// Invite is a meeting request found in a message (iMIP: a text/calendar part, METHOD:REQUEST).
type Invite struct {
	UID            string
	Summary        string
	Location       string
	Description    string
	Start, End     time.Time
	AllDay         bool
	DtStamp        time.Time
	OrganizerEmail string
	OrganizerName  string
	Attendees      []InviteAttendee
}

// InviteAttendee is one ATTENDEE of an invitation.
type InviteAttendee struct {
	Email, Name string
	Optional    bool
}

// ParseInvite finds the first meeting request of a message; ok is false when it has none.
func ParseInvite(raw []byte) (*Invite, bool) { return parseScheduling(raw, "REQUEST") }

// ParseCancellation finds the first meeting cancellation (METHOD:CANCEL) of a message, read
// like an invitation: what is cancelled, when and by whom.
func ParseCancellation(raw []byte) (*Invite, bool) { return parseScheduling(raw, "CANCEL") }

func parseScheduling(raw []byte, want string) (*Invite, bool) {
	found := false
	var inv *Invite
	eachCalendar(raw, func(method string, cal *ical.Calendar, _ []byte) bool {
		if method != want {
			return false
		}
		for _, ev := range cal.Events() {
			if inv, found = inviteOf(ev); found {
				return true
			}
		}
		return false
	})
	return inv, found
}

// CalendarPart finds the first iMIP part of a message (RFC 6047: a text/calendar part with a
// METHOD) and returns its method, upper-cased, and its text.
func CalendarPart(raw []byte) (method string, text []byte, ok bool) {
	eachCalendar(raw, func(m string, _ *ical.Calendar, body []byte) bool {
		if m == "" {
			return false
		}
		method, text, ok = m, body, true
		return true
	})
	return method, text, ok
}

// eachCalendar calls fn with each text/calendar part that parses, its METHOD (from the
// calendar, else the Content-Type parameter) and its text, until fn returns true.
func eachCalendar(raw []byte, fn func(method string, cal *ical.Calendar, body []byte) bool) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) {
		return
	}
	for {
		part, err := r.NextPart()
		if err == io.EOF || (err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err)) {
			return
		}
		if err != nil {
			continue
		}
		ct, params, _ := part.Header.(interface {
			ContentType() (string, map[string]string, error)
		}).ContentType()
		if ct != "text/calendar" {
			continue
		}
		body, _ := io.ReadAll(io.LimitReader(part.Body, 1<<20))
		cal, err := decodeICal(body)
		if err != nil {
			continue
		}
		method := strings.ToUpper(params["method"])
		if p := cal.Props.Get(ical.PropMethod); p != nil {
			method = strings.ToUpper(p.Value)
		}
		if fn(method, cal, body) {
			return
		}
	}
}

// decodeICal decodes without letting go-ical's panics on some malformed lines through.
func decodeICal(body []byte) (cal *ical.Calendar, err error) {
	defer func() {
		if recover() != nil {
			cal, err = nil, io.ErrUnexpectedEOF
		}
	}()
	return ical.NewDecoder(bytes.NewReader(body)).Decode()
}

func inviteOf(ev ical.Event) (*Invite, bool) {
	text := func(name string) string {
		if p := ev.Props.Get(name); p != nil {
			v, _ := p.Text()
			return v
		}
		return ""
	}
	inv := &Invite{UID: text(ical.PropUID), Summary: text(ical.PropSummary), Location: text(ical.PropLocation),
		Description: text(ical.PropDescription)}
	start, err := ev.DateTimeStart(time.UTC)
	if err != nil || inv.UID == "" {
		return nil, false
	}
	inv.Start = start.UTC()
	if p := ev.Props.Get(ical.PropDateTimeStart); p != nil && p.ValueType() == ical.ValueDate {
		inv.AllDay = true
	}
	if end, err := ev.DateTimeEnd(time.UTC); err == nil && !end.IsZero() {
		inv.End = end.UTC()
	} else if inv.AllDay {
		inv.End = inv.Start.AddDate(0, 0, 1)
	} else {
		inv.End = inv.Start.Add(time.Hour)
	}
	if p := ev.Props.Get(ical.PropDateTimeStamp); p != nil {
		if t, err := p.DateTime(time.UTC); err == nil {
			inv.DtStamp = t.UTC()
		}
	}
	if p := ev.Props.Get(ical.PropOrganizer); p != nil {
		inv.OrganizerEmail = mailtoAddress(p.Value)
		inv.OrganizerName = p.Params.Get(ical.ParamCommonName)
	}
	for _, p := range ev.Props.Values(ical.PropAttendee) {
		inv.Attendees = append(inv.Attendees, InviteAttendee{Email: mailtoAddress(p.Value), Name: p.Params.Get(ical.ParamCommonName),
			Optional: strings.EqualFold(p.Params.Get(ical.ParamRole), "OPT-PARTICIPANT")})
	}
	return inv, true
}

func mailtoAddress(v string) string {
	if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	return strings.ToLower(strings.TrimSpace(v))
}
