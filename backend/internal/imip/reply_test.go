package imip

import (
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// The reply reads back as a METHOD:REPLY whose only attendee is the account with its answer,
// through the same parsers delivery uses; a subject with a line break stays one header.
func TestReplyReadsBack(t *testing.T) {
	ev := &pim.Event{UID: "u-1@example.org", Subject: "Plan\r\nBcc: x@example.org", Sequence: 3, OrganizerEmail: "anna@example.org",
		Start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
		Attendees: []pim.Attendee{{Email: "me@example.com", Name: "Me"}, {Email: "other@example.com"}}}
	raw := Reply(ev, "me@example.com", Tentative, "Maybe.", time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
	if strings.Contains(string(raw), "\r\nBcc:") {
		t.Fatalf("the subject broke out of its header:\n%s", raw)
	}
	method, text, ok := mailbox.CalendarPart(raw)
	if !ok || method != "REPLY" {
		t.Fatalf("no REPLY part (%q %v):\n%s", method, ok, raw)
	}
	sev, err := dav.EventFromScheduling(string(text), "anna@example.org")
	if err != nil {
		t.Fatal(err)
	}
	a := sev.Event.Attendees
	if len(a) != 1 || a[0].Email != "me@example.com" || a[0].Status != Tentative || a[0].Name != "Me" || sev.Sequence != 3 ||
		sev.Event.UID != ev.UID || !sev.Event.Start.Equal(ev.Start) {
		t.Fatalf("reply read back: %+v seq %d", sev.Event, sev.Sequence)
	}
	if !strings.Contains(string(text), "COMMENT:Maybe.") {
		t.Fatalf("no comment:\n%s", text)
	}
}

// The reply for one occurrence reads back as that occurrence only (RECURRENCE-ID, its times and
// the answer), no master: the organizer's calendar applies it to that instance.
func TestReplyOccurrenceReadsBack(t *testing.T) {
	ev := &pim.Event{UID: "w@example.org", Subject: "Weekly", Sequence: 1, OrganizerEmail: "anna@example.org",
		Start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC),
		Recurrence: &pim.Recurrence{Type: 1, Interval: 1, DayOfWeek: 4}}
	id := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	raw := ReplyOccurrence(ev, "me@example.com", Declined, "", time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),
		Occurrence{ID: id, Start: id.Add(time.Hour), End: id.Add(90 * time.Minute)})
	_, text, ok := mailbox.CalendarPart(raw)
	if !ok {
		t.Fatalf("no calendar part:\n%s", raw)
	}
	for _, want := range []string{"RECURRENCE-ID:20261208T090000Z", "DTSTART:20261208T100000Z", "DTEND:20261208T103000Z", "PARTSTAT=DECLINED"} {
		if !strings.Contains(string(text), want) {
			t.Fatalf("reply lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(string(text), "RRULE") {
		t.Fatalf("an occurrence's reply with the series' rule:\n%s", text)
	}
	sev, err := dav.EventFromScheduling(string(text), "anna@example.org")
	if err != nil || sev.Event != nil || len(sev.Instances) != 1 || !sev.Instances[0].ExceptionStartTime.Equal(id) {
		t.Fatalf("read back: %+v %v", sev, err)
	}
}
