package eas_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/pim"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

const weeklyUID = "weekly-sync-2026@example.com"

// scheduling is an iMIP message from "from" to the administrator with the VEVENTs given.
func scheduling(from, method, vevents string) []byte {
	return []byte("From: " + from + "\r\nTo: admin@example.com\r\nSubject: " + method + ": Weekly sync\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nWeekly sync.\r\n--b\r\n" +
		"Content-Type: text/calendar; charset=utf-8; method=" + method + "\r\n\r\n" +
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:" + method + "\r\n" + vevents + "END:VCALENDAR\r\n--b--\r\n")
}

// weekly is the master of a weekly meeting on Tuesdays (six of them, the third one excluded)
// organized by Bob, at a SEQUENCE and a location.
func weekly(seq, location string) string {
	return "BEGIN:VEVENT\r\nUID:" + weeklyUID + "\r\nSEQUENCE:" + seq + "\r\nDTSTAMP:20261122T120000Z\r\n" +
		"DTSTART:20261201T090000Z\r\nDTEND:20261201T093000Z\r\nRRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU\r\n" +
		"EXDATE:20261215T090000Z\r\nSUMMARY:Weekly sync\r\nLOCATION:" + location + "\r\n" +
		"ORGANIZER;CN=Bob:mailto:bob@example.com\r\n" +
		"ATTENDEE;CN=Admin;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:admin@example.com\r\nEND:VEVENT\r\n"
}

// moved is the second occurrence, an hour later.
const moved = "BEGIN:VEVENT\r\nUID:" + weeklyUID + "\r\nRECURRENCE-ID:20261208T090000Z\r\nSEQUENCE:0\r\n" +
	"DTSTAMP:20261122T120000Z\r\nDTSTART:20261208T100000Z\r\nDTEND:20261208T103000Z\r\nSUMMARY:Weekly sync (moved)\r\n" +
	"ORGANIZER;CN=Bob:mailto:bob@example.com\r\nATTENDEE;CN=Admin:mailto:admin@example.com\r\nEND:VEVENT\r\n"

// A recurring invitation answered from a 16.1 phone with SendResponse: the calendar holds the
// series (EAS Recurrence and Exceptions, CalDAV's RRULE/EXDATE/RECURRENCE-ID), the organizer
// (a local account) gets the METHOD:REPLY and her meeting shows the acceptance; Bob's update
// (higher SEQUENCE), a cancelled occurrence by LMTP and the cancellation reach the calendar,
// a forged cancellation does not; at 14.1 the server sends no reply (the phone does).
func TestMeetingReplyAndRecurringInvitation(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		ctx := t.Context()
		if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "bob@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		bob, _ := s.App.Accounts.Get(ctx, "bob@example.com")
		bobCal, _ := s.App.Mailbox.FolderByType(ctx, bob.ID, mailbox.TypeCalendar)
		organized, _ := json.Marshal(pim.Event{Subject: "Weekly sync", UID: weeklyUID, OrganizerEmail: "bob@example.com", MeetingStatus: 1,
			Attendees: []pim.Attendee{{Email: "admin@example.com", Name: "Admin", Status: 5, Type: 1}}})
		bobEvent, err := s.App.Mailbox.AddPIM(ctx, bob.ID, bobCal.ID, mailbox.ClassCalendar, "Weekly sync", string(organized))
		if err != nil {
			t.Fatal(err)
		}
		acct, _ := s.App.Accounts.Get(ctx, admin)
		inv, err := s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("Bob <bob@example.com>", "REQUEST", weekly("0", "Room Elbe")+moved))
		if err != nil {
			t.Fatal(err)
		}

		p, inbox := eastest.ProvisionedAt(t, s, "16.1", "p16")
		calID := eastest.FolderOfType(must(p.FolderSync("0")).Body, "8")
		in := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: "0"}
		in.Sync()
		mr := in.Sync().Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData").Child("Email:MeetingRequest")
		if r := mr.Child("Email:Recurrences").Child("Email:Recurrence"); mr.TextOf("Email:InstanceType") != "1" ||
			r.TextOf("Email:Type") != "1" || r.TextOf("Email:Occurrences") != "6" || r.TextOf("Email:DayOfWeek") != "4" {
			t.Fatalf("the recurring invitation in the Inbox: %s", mr)
		}
		cal := &eastest.Syncer{T: t, P: p, Coll: calID, Key: "0"}
		cal.Sync()
		answer := must(p.Do("MeetingResponse", wbxml.New("MeetingResponse:MeetingResponse", wbxml.New("Request",
			wbxml.NewText("UserResponse", "1"), wbxml.NewText("CollectionId", "x"), wbxml.NewText("RequestId", itoa(inv.ID)),
			wbxml.New("SendResponse", wbxml.New("AirSyncBase:Body", wbxml.NewText("AirSyncBase:Type", "1"),
				wbxml.NewText("AirSyncBase:Data", "See you there.")))))))
		r := answer.Body
		if r.Child("Result").TextOf("Status") != "1" || r.Child("Result").TextOf("CalendarId") == "" {
			t.Fatalf("accept: %s", r)
		}
		eastest.LibwbxmlDecodes(t, answer.Raw, "<CalendarId>"+r.Child("Result").TextOf("CalendarId")+"</CalendarId>", "<Status>1</Status>")

		ev := cal.Sync().Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
		rec := ev.Child("Calendar:Recurrence")
		if rec == nil || rec.TextOf("Calendar:Type") != "1" || rec.TextOf("Calendar:Occurrences") != "6" || rec.TextOf("Calendar:DayOfWeek") != "4" {
			t.Fatalf("the series over EAS: %s", ev)
		}
		if n := len(ev.Child("Calendar:Exceptions").All("Calendar:Exception")); n != 2 || ev.TextOf("Calendar:ResponseType") != "3" {
			t.Fatalf("exceptions (one deleted, one moved) and the answer: %s", ev)
		}

		// The reply, delivered to Bob, and Bob's meeting shows the answer.
		var reply *store.Item
		bobInbox, _ := s.App.Mailbox.FolderByType(ctx, bob.ID, mailbox.TypeInbox)
		items, _ := s.App.Mailbox.Changes(ctx, bobInbox.ID, 0, 10)
		for i := range items {
			if items[i].Subject == "Accepted: Weekly sync" {
				reply = &items[i]
			}
		}
		if reply == nil {
			t.Fatalf("no reply in the organizer's Inbox: %v", eastest.FolderItems(t, s, "bob@example.com", mailbox.TypeInbox))
		}
		for _, want := range []string{"METHOD:REPLY", "PARTSTAT=ACCEPTED", "mailto:admin@example.com", "UID:" + weeklyUID, "See you there."} {
			if !strings.Contains(string(reply.MIME), want) {
				t.Fatalf("reply lacks %q:\n%s", want, reply.MIME)
			}
		}
		if got := eastest.FolderItems(t, s, admin, mailbox.TypeSentItems); len(got) != 1 || got[0] != "Accepted: Weekly sync" {
			t.Fatalf("the attendee's Sent Items: %v", got)
		}
		if got, _ := s.App.Mailbox.Item(ctx, bob.ID, bobEvent.ID); !strings.Contains(got.Props, `"status":3`) {
			t.Fatalf("the organizer's meeting after the reply: %s", got.Props)
		}

		// CalDAV shows the series.
		pass := davPasscode(t, s)
		report := `<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
			`<d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter></c:calendar-query>`
		out, err := exec.Command("curl", "-sS", "-u", admin+":"+pass, "-X", "REPORT", "-H", "Depth: 1", "-H", "Content-Type: application/xml",
			"--data", report, s.URL+"/dav/calendars/"+admin+"/"+calID+"/").CombinedOutput()
		if err != nil {
			t.Fatalf("curl REPORT: %v %s", err, out)
		}
		for _, want := range []string{"RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU", "EXDATE:20261215T090000Z", "RECURRENCE-ID:20261208T090000Z", "SEQUENCE:0"} {
			if !strings.Contains(string(out), want) {
				t.Fatalf("CalDAV REPORT lacks %q:\n%s", want, out)
			}
		}

		// Bob moves the meeting to another room (SEQUENCE 1): the phone gets the change, still accepted.
		if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("bob@example.com", "REQUEST", weekly("1", "Room Rhein"))); err != nil {
			t.Fatal(err)
		}
		ch := cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if !strings.Contains(ch.String(), "Room Rhein") || ch.TextOf("Calendar:ResponseType") != "3" || ch.TextOf("Calendar:BusyStatus") != "2" {
			t.Fatalf("the organizer's update: %s", ch)
		}
		// An older SEQUENCE and a cancellation from someone else change nothing.
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("bob@example.com", "REQUEST", weekly("0", "Room Old")))
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("mallory@example.org", "CANCEL", weekly("5", "x")))
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("Bob <evilbob@example.com>", "CANCEL", weekly("5", "x")))
		if col := cal.Sync(); col != nil && col.Child("AirSync:Commands") != nil {
			t.Fatalf("a stale update or a forged cancellation changed the meeting: %s", col)
		}

		// One occurrence cancelled, by LMTP through Python's smtplib.
		lm := lmtp.New(s.App.Mailbox, s.App.Accounts, lmtp.Options{Domain: "localhost"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go lm.Serve(ln)
		defer lm.Close()
		host, port, _ := strings.Cut(ln.Addr().String(), ":")
		one := "BEGIN:VEVENT\r\nUID:" + weeklyUID + "\r\nRECURRENCE-ID:20261222T090000Z\r\nSEQUENCE:2\r\nDTSTAMP:20261123T120000Z\r\n" +
			"DTSTART:20261222T090000Z\r\nORGANIZER:mailto:bob@example.com\r\nATTENDEE:mailto:admin@example.com\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
		script := "import smtplib, sys\ns = smtplib.LMTP(sys.argv[1], int(sys.argv[2]))\n" +
			"s.sendmail('bob@example.com', ['admin@example.com'], sys.stdin.buffer.read())\ns.quit()\n"
		cmd := exec.Command(py, "-c", script, host, port)
		cmd.Stdin = strings.NewReader(string(scheduling("bob@example.com", "CANCEL", one)))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("smtplib.LMTP: %v: %s", err, out)
		}
		ch = cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if n := len(ch.Child("Calendar:Exceptions").All("Calendar:Exception")); n != 2 || strings.Count(ch.String(), "<Deleted>1</Deleted>") != 2 {
			t.Fatalf("the cancelled occurrence (with the excluded one; the moved one went with the update): %s", ch)
		}
		// The whole meeting cancelled: it stays, marked cancelled (MeetingStatus 7), and free.
		s.App.Mailbox.Deliver(ctx, acct.ID, scheduling("bob@example.com", "CANCEL", weekly("2", "Room Rhein")))
		ch = cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if ch.TextOf("Calendar:MeetingStatus") != "7" || ch.TextOf("Calendar:BusyStatus") != "0" {
			t.Fatalf("the cancellation: %s", ch)
		}

		// 14.1: SendResponse is not of that version; the phone sends its own reply.
		single, _ := s.App.Mailbox.Deliver(ctx, acct.ID, []byte(strings.ReplaceAll(invitation, "anna@example.org", "bob@example.com")))
		p14, _ := eastest.Provisioned(t, s, "p14")
		r = must(p14.Do("MeetingResponse", wbxml.New("MeetingResponse:MeetingResponse", wbxml.New("Request",
			wbxml.NewText("UserResponse", "2"), wbxml.NewText("CollectionId", "x"), wbxml.NewText("RequestId", itoa(single.ID)))))).Body
		if r.Child("Result").TextOf("Status") != "1" {
			t.Fatalf("tentative at 14.1: %s", r)
		}
		if got := eastest.FolderItems(t, s, "bob@example.com", mailbox.TypeInbox); len(got) != 1 {
			t.Fatalf("the server replied for a 14.1 phone: %v", got)
		}
	})
}

// davPasscode is an app passcode of the administrator for CalDAV.
func davPasscode(t *testing.T, s *apptest.Server) string {
	t.Helper()
	r := eastest.AdminClient(t, s).Do("POST", "/api/v1/credentials", map[string]string{"kind": "app_passcode", "label": "DAV"})
	var out struct{ Secret struct{ Password string } }
	if r.StatusCode == http.StatusCreated {
		r.JSON(t, &out)
	}
	if out.Secret.Password == "" {
		t.Fatalf("app passcode: %d %s", r.StatusCode, r.Body)
	}
	return out.Secret.Password
}
