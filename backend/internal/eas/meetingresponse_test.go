package eas_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const invitation = "From: Anna Berg <anna@example.org>\r\nTo: admin@example.com\r\nSubject: Invitation: Planning\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n\r\nYou are invited.\r\n--b\r\n" +
	"Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n" +
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n" +
	"UID:planning-2026-12-01@example.org\r\nDTSTAMP:20261122T120000Z\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\n" +
	"SUMMARY:Planning\r\nLOCATION:Room Elbe\r\nORGANIZER;CN=Anna Berg:mailto:anna@example.org\r\n" +
	"ATTENDEE;CN=Admin;ROLE=REQ-PARTICIPANT:mailto:admin@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--b--\r\n"

func TestMeetingResponse(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		p, inbox := eastest.Provisioned(t, s, "dev1")
		fs := must(p.FolderSync("0")).Body
		calendar := eastest.FolderOfType(fs, "8")
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		it, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, []byte(invitation))
		if err != nil {
			t.Fatal(err)
		}
		in := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: "0"}
		in.Sync()
		ad := in.Sync().Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
		mr := ad.Child("Email:MeetingRequest")
		if ad.TextOf("Email:MessageClass") != "IPM.Schedule.Meeting.Request" || mr.TextOf("Email:StartTime") != "2026-12-01T09:00:00.000Z" ||
			mr.TextOf("Email:Location") != "Room Elbe" || mr.TextOf("Email:Organizer") != "anna@example.org" {
			t.Fatalf("invitation as a phone sees it: %s", ad)
		}
		cal := &eastest.Syncer{T: t, P: p, Coll: calendar, Key: "0"}
		cal.Sync()
		respond := func(answer, reqID string) *wbxml.Node {
			return must(p.Do("MeetingResponse", wbxml.New("MeetingResponse:MeetingResponse", wbxml.New("Request",
				wbxml.NewText("UserResponse", answer), wbxml.NewText("CollectionId", inbox), wbxml.NewText("RequestId", reqID))))).Body
		}
		r := respond("1", itoa(it.ID))
		if r.Child("Result").TextOf("Status") != "1" || r.Child("Result").TextOf("CalendarId") == "" {
			t.Fatalf("accept: %s", r)
		}
		ev := cal.Sync().Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
		if ev.TextOf("Calendar:Subject") != "Planning" || ev.TextOf("Calendar:BusyStatus") != "2" || ev.TextOf("Calendar:UID") != "planning-2026-12-01@example.org" ||
			ev.TextOf("Calendar:StartTime") != "20261201T090000Z" {
			t.Fatalf("accepted meeting in the calendar: %s", ev)
		}
		respond("2", itoa(it.ID)) // tentative: the same event, now tentative
		ch := cal.Sync().Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
		if ch.TextOf("Calendar:BusyStatus") != "1" {
			t.Fatalf("tentative: %s", ch)
		}
		respond("3", itoa(it.ID)) // decline: out of the calendar
		if col := cal.Sync(); eastest.Ops(col)["Delete"] != 1 {
			t.Fatalf("decline: %s", col)
		}
		if r := respond("1", "424242"); r.Child("Result").TextOf("Status") != "2" {
			t.Fatalf("an unknown request: %s", r)
		}
		plain, _ := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(1))
		if r := respond("1", itoa(plain.ID)); r.Child("Result").TextOf("Status") != "2" || strings.Contains(r.String(), "CalendarId") {
			t.Fatalf("a message that is no invitation: %s", r)
		}
		_ = easclient.Collection
	})
}
