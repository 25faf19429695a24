package eas_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// exceptionOf is the Calendar:Exception of the occurrence that originally starts at id (16.x
// names it by AirSyncBase:InstanceId), or nil.
func exceptionOf(ev *wbxml.Node, id string) *wbxml.Node {
	for _, x := range ev.Child("Calendar:Exceptions").All("Calendar:Exception") {
		if x.TextOf("AirSyncBase:InstanceId") == id {
			return x
		}
	}
	return nil
}

// inboxOf is the messages in an account's Inbox with the subject given.
func inboxOf(t *testing.T, s *apptest.Server, email, subject string) []store.Item {
	t.Helper()
	acct, _ := s.App.Accounts.Get(t.Context(), email)
	in, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, mailbox.TypeInbox)
	items, err := s.App.Mailbox.Changes(t.Context(), in.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Item
	for _, it := range items {
		if it.Subject == subject {
			out = append(out, it)
		}
	}
	return out
}

// A 16.1 phone answers single occurrences of a recurring invitation nobody answered yet
// (MeetingResponse InstanceId): the series enters the calendar unanswered (ResponseType 5) with
// the occurrence's answer as an exception, the organizer gets a REPLY with that occurrence's
// RECURRENCE-ID; a declined occurrence is deleted, the series unchanged. The organizer's update
// and cancellation then reach that pending series; a forged one does not. An InstanceId on a
// single meeting is refused (Status 2).
func TestMeetingResponseForOneOccurrence(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		must := eastest.OK(t)
		ctx := t.Context()
		if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "bob@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		acct, _ := s.App.Accounts.Get(ctx, admin)
		inv, err := s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("Bob <bob@example.com>", "REQUEST", weekly("0", "Room Elbe")))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := eastest.ProvisionedAt(t, s, "16.1", "p16i")
		cal := &eastest.Syncer{T: t, P: p, Coll: eastest.FolderOfType(must(p.FolderSync("0")).Body, "8"), Key: "0"}
		if col := cal.Sync(); col != nil && col.Has("AirSync:Commands") {
			t.Fatalf("an unanswered invitation is in the calendar: %s", col)
		}
		respond := func(reqID, answer, instance string, send bool) *easclient.Response {
			req := wbxml.New("Request", wbxml.NewText("UserResponse", answer), wbxml.NewText("CollectionId", "x"),
				wbxml.NewText("RequestId", reqID), wbxml.NewText("InstanceId", instance))
			if send {
				req.Add(wbxml.New("SendResponse", wbxml.New("AirSyncBase:Body", wbxml.NewText("AirSyncBase:Type", "1"),
					wbxml.NewText("AirSyncBase:Data", "Only that week."))))
			}
			return must(p.Do("MeetingResponse", wbxml.New("MeetingResponse:MeetingResponse", req)))
		}

		// Tentative for 22 December, with a reply.
		r := respond(itoa(inv.ID), "2", "2026-12-22T09:00:00.000Z", true)
		calID := r.Body.Child("Result").TextOf("CalendarId")
		if r.Body.Child("Result").TextOf("Status") != "1" || calID == "" {
			t.Fatalf("tentative for one occurrence: %s", r.Body)
		}
		eastest.LibwbxmlDecodes(t, r.Raw, "<Status>1</Status>", "<CalendarId>"+calID+"</CalendarId>")
		ev := cal.Sync().Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
		x := exceptionOf(ev, "20261222T090000Z")
		if ev.TextOf("Calendar:ResponseType") != "5" || ev.Child("Calendar:Recurrence") == nil || x == nil ||
			x.TextOf("Calendar:BusyStatus") != "1" || x.Has("Calendar:Deleted") || exceptionOf(ev, "20261215T090000Z") == nil {
			t.Fatalf("the series with the answered occurrence: %s", ev)
		}
		replies := inboxOf(t, s, "bob@example.com", "Tentative: Weekly sync")
		if len(replies) != 1 {
			t.Fatalf("replies to the organizer: %d", len(replies))
		}
		for _, want := range []string{"METHOD:REPLY", "RECURRENCE-ID:20261222T090000Z", "DTSTART:20261222T090000Z", "DTEND:20261222T093000Z",
			"PARTSTAT=TENTATIVE", "mailto:admin@example.com", "UID:" + weeklyUID, "Only that week."} {
			if !strings.Contains(string(replies[0].MIME), want) {
				t.Fatalf("the reply lacks %q:\n%s", want, replies[0].MIME)
			}
		}

		// CalDAV shows the answered occurrence as an overridden instance with the answer.
		pass := davPasscode(t, s)
		report := `<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
			`<d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter></c:calendar-query>`
		out, err := exec.Command("curl", "-sS", "-u", admin+":"+pass, "-X", "REPORT", "-H", "Depth: 1", "-H", "Content-Type: application/xml",
			"--data", report, s.URL+"/dav/calendars/"+admin+"/"+cal.Coll+"/").CombinedOutput()
		if err != nil {
			t.Fatalf("curl REPORT: %v %s", err, out)
		}
		for _, want := range []string{"RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU", "RECURRENCE-ID:20261222T090000Z", "PARTSTAT=TENTATIVE"} {
			if !strings.Contains(string(out), want) {
				t.Fatalf("CalDAV REPORT lacks %q:\n%s", want, out)
			}
		}

		// Declined for 29 December, no reply: that occurrence leaves the calendar, the series stays.
		if r := respond(itoa(inv.ID), "3", "2026-12-29T09:00:00.000Z", false); r.Body.Child("Result").TextOf("Status") != "1" {
			t.Fatalf("decline one occurrence: %s", r.Body)
		}
		ch := cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if x := exceptionOf(ch, "20261229T090000Z"); x == nil || x.TextOf("Calendar:Deleted") != "1" ||
			ch.TextOf("Calendar:ResponseType") != "5" || exceptionOf(ch, "20261222T090000Z").TextOf("Calendar:BusyStatus") != "1" {
			t.Fatalf("the declined occurrence: %s", ch)
		}
		if n := len(inboxOf(t, s, "bob@example.com", "Declined: Weekly sync")); n != 0 {
			t.Fatalf("a reply without SendResponse: %d", n)
		}

		// The organizer moves the series (SEQUENCE 1): the pending series follows, still unanswered.
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("mallory@example.org", "REQUEST", weekly("4", "Mallory's")))
		if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("bob@example.com", "REQUEST", weekly("1", "Room Rhein"))); err != nil {
			t.Fatal(err)
		}
		ch = cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if !strings.Contains(ch.String(), "Room Rhein") || strings.Contains(ch.String(), "Mallory") || ch.TextOf("Calendar:ResponseType") != "5" {
			t.Fatalf("the organizer's update of the pending series: %s", ch)
		}
		// A forged cancellation changes nothing; the organizer's cancels it.
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("Bob <evilbob@example.com>", "CANCEL", weekly("5", "x")))
		if col := cal.Sync(); col != nil && col.Has("AirSync:Commands") {
			t.Fatalf("a forged cancellation: %s", col)
		}
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("bob@example.com", "CANCEL", weekly("2", "Room Rhein")))
		ch = cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if ch.TextOf("Calendar:MeetingStatus") != "7" || ch.TextOf("Calendar:BusyStatus") != "0" {
			t.Fatalf("the cancellation of the pending series: %s", ch)
		}

		// An InstanceId on a single meeting, or one that is no date: Status 2.
		single, _ := s.App.Mailbox.Deliver(ctx, acct.ID, []byte(invitation))
		for _, instance := range []string{"2026-12-01T09:00:00.000Z", "next Tuesday"} {
			if r := respond(itoa(single.ID), "1", instance, false); r.Body.Child("Result").TextOf("Status") != "2" {
				t.Fatalf("InstanceId %q on a single meeting: %s", instance, r.Body)
			}
		}
	})
}

// An invitation nobody answered has no calendar item; the organizer's cancellation reaches the
// phone as a cancellation in the Inbox (IPM.Schedule.Meeting.Canceled with the meeting), not as
// a plain message, and puts nothing in the calendar.
func TestCancellationOfAnUnansweredInvitation(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		must := eastest.OK(t)
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		p, inbox := eastest.ProvisionedAt(t, s, "16.1", "p16c")
		cal := &eastest.Syncer{T: t, P: p, Coll: eastest.FolderOfType(must(p.FolderSync("0")).Body, "8"), Key: "0"}
		cal.Sync()
		in := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: "0"}
		in.Sync()
		s.App.Mailbox.Deliver(t.Context(), acct.ID, []byte(invitation))
		cancel := strings.NewReplacer("method=REQUEST", "method=CANCEL", "METHOD:REQUEST", "METHOD:CANCEL",
			"Subject: Invitation: Planning", "Subject: Cancelled: Planning", "SUMMARY:Planning", "SUMMARY:Planning\r\nSEQUENCE:1\r\nSTATUS:CANCELLED").Replace(invitation)
		if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, []byte(cancel)); err != nil {
			t.Fatal(err)
		}
		classes := map[string]*wbxml.Node{}
		for _, a := range in.Sync().Child("AirSync:Commands").All("AirSync:Add") {
			ad := a.Child("AirSync:ApplicationData")
			classes[ad.TextOf("Email:MessageClass")] = ad
		}
		c := classes["IPM.Schedule.Meeting.Canceled"]
		if c == nil || classes["IPM.Schedule.Meeting.Request"] == nil || c.TextOf("Email:Subject") != "Cancelled: Planning" ||
			c.Child("Email:MeetingRequest").TextOf("Email:Organizer") != "anna@example.org" ||
			c.Child("Email:MeetingRequest").TextOf("Email:StartTime") != "2026-12-01T09:00:00.000Z" {
			t.Fatalf("the invitation and its cancellation in the Inbox: %v", classes)
		}
		if col := cal.Sync(); col != nil && col.Has("AirSync:Commands") {
			t.Fatalf("the calendar changed: %s", col)
		}
	})
}
