package eas

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/eas/pim"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/imip"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// hasInvite: the message carries a text/calendar part (checked cheaply on the stored
// attachment metadata before the MIME is parsed).
func hasInvite(it *store.Item) bool {
	for _, a := range mailbox.DecodeAttachments(it.Attachments) {
		if a.ContentType == "text/calendar" {
			return true
		}
	}
	return false
}

// inviteRecurrence is the recurrence of a recurring invitation (nil for a single meeting), for
// the MeetingRequest's Recurrences: the phone shows "every Tuesday" before the user answers.
func inviteRecurrence(raw []byte) *pim.Recurrence {
	method, text, ok := mailbox.CalendarPart(raw)
	if !ok || method != "REQUEST" {
		return nil
	}
	sev, err := dav.EventFromScheduling(string(text), "")
	if err != nil || sev.Event == nil {
		return nil
	}
	return sev.Event.Recurrence
}

// recurrences is Email:Recurrences (MS-ASEMAIL 2.2.2.60) of a recurrence.
func recurrences(r *pim.Recurrence) *wbxml.Node {
	n := wbxml.New("Email:Recurrence", wbxml.NewText("Email:Type", strconv.Itoa(r.Type)))
	num := func(name string, v int) {
		if v != 0 {
			n.Add(wbxml.NewText(name, strconv.Itoa(v)))
		}
	}
	if r.Until != nil {
		n.Add(wbxml.NewText("Email:Until", r.Until.UTC().Format("20060102T150405Z")))
	}
	num("Email:Occurrences", r.Occurrences)
	num("Email:Interval", r.Interval)
	num("Email:DayOfWeek", r.DayOfWeek)
	num("Email:DayOfMonth", r.DayOfMonth)
	num("Email:WeekOfMonth", r.WeekOfMonth)
	num("Email:MonthOfYear", r.MonthOfYear)
	return wbxml.New("Email:Recurrences", n)
}

// meetingRequest is the Email:MeetingRequest a phone needs to show Accept/Tentative/Decline;
// rec is the series' recurrence (InstanceType 1, a recurring master) or nil.
func meetingRequest(inv *mailbox.Invite, rec *pim.Recurrence) *wbxml.Node {
	const emailTime = "2006-01-02T15:04:05.000Z"
	stamp := inv.DtStamp
	if stamp.IsZero() {
		stamp = inv.Start
	}
	instance := "0"
	if rec != nil {
		instance = "1"
	}
	n := wbxml.New("Email:MeetingRequest",
		wbxml.NewText("Email:AllDayEvent", boolText(inv.AllDay)),
		wbxml.NewText("Email:StartTime", inv.Start.UTC().Format(emailTime)),
		wbxml.NewText("Email:DtStamp", stamp.UTC().Format(emailTime)),
		wbxml.NewText("Email:EndTime", inv.End.UTC().Format(emailTime)),
		wbxml.NewText("Email:InstanceType", instance),
		wbxml.NewText("Email:Location", inv.Location),
		wbxml.NewText("Email:Organizer", inv.OrganizerEmail),
		wbxml.NewText("Email:ResponseRequested", "1"))
	if rec != nil {
		n.Add(recurrences(rec))
	}
	return n.Add(
		wbxml.NewText("Email:Sensitivity", "0"),
		wbxml.NewText("Email:BusyStatus", "1"),
		wbxml.NewText("Email:TimeZone", pim.UTCTimeZone().Blob()),
		wbxml.NewText("Email:GlobalObjId", base64.StdEncoding.EncodeToString([]byte(inv.UID))))
}

// MeetingResponse statuses of MS-ASCMD 2.2.3.177.8.
const (
	meetingOK      = "1"
	meetingInvalid = "2"
)

// meetingResponse answers invitations in the Inbox: accept and tentative put the meeting in
// the calendar (busy or tentative), decline takes it out.
func (s *Server) meetingResponse(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("MeetingResponse:MeetingResponse")
	if c.body == nil || c.body.Name != "MeetingResponse:MeetingResponse" {
		return resp.Add(wbxml.New("Result", wbxml.NewText("Status", meetingInvalid))), nil
	}
	for _, r := range c.body.All("Request") {
		result := wbxml.New("Result", wbxml.NewText("RequestId", r.TextOf("RequestId")))
		calID, status, err := s.answerInvite(ctx, c, r)
		if err != nil {
			return nil, err
		}
		result.Add(wbxml.NewText("Status", status))
		if calID != "" {
			result.Add(wbxml.NewText("CalendarId", calID))
		}
		resp.Add(result)
	}
	return resp, nil
}

// answerInvite answers one invitation through package imip: the calendar item (with the
// invitation's recurrence), and from 16.0 the reply to the organizer when the request has
// SendResponse (MS-ASCMD 2.2.3.163; its airsyncbase:Body is the reply's comment). Before
// 16.0 the device sends its own reply with SendMail, so the server sends none. A 16.x
// InstanceId answers that occurrence only (an exception; the reply has its RECURRENCE-ID).
func (s *Server) answerInvite(ctx context.Context, c *call, r *wbxml.Node) (string, string, error) {
	itemID, _ := strconv.ParseUint(r.TextOf("RequestId"), 10, 64)
	it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
	if errors.Is(err, mailbox.ErrNoItem) {
		return "", meetingInvalid, nil
	} else if err != nil {
		return "", "", err
	}
	answer := map[string]int{"1": imip.Accepted, "2": imip.Tentative, "3": imip.Declined}[r.TextOf("UserResponse")]
	a := imip.Answer{Response: answer}
	if c.req.AtLeast("16.0") {
		if send := r.Child("SendResponse"); send != nil {
			a.Send = true
			if b := send.Child("AirSyncBase:Body"); b != nil {
				a.Comment = b.TextOf("AirSyncBase:Data")
			}
		}
		// One occurrence of a series (MS-ASCMD 2.2.3.87.1): its original start.
		if v := r.TextOf("InstanceId"); v != "" {
			if a.Instance, err = pim.ParseDate(v); err != nil {
				return "", meetingInvalid, nil
			}
		}
	}
	cal, err := s.sched.Respond(ctx, c.account, it.MIME, a)
	if errors.Is(err, imip.ErrNotInvitation) {
		return "", meetingInvalid, nil
	} else if err != nil {
		return "", "", err
	}
	if cal == nil {
		return "", meetingOK, nil
	}
	return id(cal.ID), meetingOK, nil
}
