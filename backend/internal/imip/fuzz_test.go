package imip

import (
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// FuzzScheduling: a delivered message's calendar part, as Delivered and Respond read it, and
// the reply built from what it gives, never panic.
func FuzzScheduling(f *testing.F) {
	f.Add([]byte("Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n" +
		"UID:a\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nORGANIZER:mailto:o@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("Content-Type: text/calendar; method=CANCEL\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n" +
		"RECURRENCE-ID:20261208T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, text, ok := mailbox.CalendarPart(raw)
		if !ok {
			return
		}
		sev, err := dav.EventFromScheduling(string(text), "me@example.com")
		if err != nil {
			return
		}
		_ = instanceUID(string(text))
		if sev.Event != nil {
			if _, err := sev.Props(""); err != nil {
				t.Fatal(err)
			}
			reply := Reply(sev.Event, "me@example.com", Accepted, "ok\r\nmore", time.Unix(0, 0))
			if m, _, ok := mailbox.CalendarPart(reply); !ok || m != "REPLY" {
				t.Fatalf("the reply's calendar part does not read back:\n%s", reply)
			}
			occ := ReplyOccurrence(sev.Event, "me@example.com", Declined, "", time.Unix(0, 0),
				Occurrence{ID: sev.Event.Start, Start: sev.Event.Start, End: sev.Event.End})
			if m, _, ok := mailbox.CalendarPart(occ); !ok || m != "REPLY" {
				t.Fatalf("the occurrence's reply does not read back:\n%s", occ)
			}
		}
	})
}
