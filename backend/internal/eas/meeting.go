package eas

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/pim"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// UIDFinder finds a calendar item by its iCalendar UID.
type UIDFinder interface {
	FindPIMByUID(ctx context.Context, accountID, folderID uint64, uid string) (*store.Item, error)
}

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

// meetingRequest is the Email:MeetingRequest a phone needs to show Accept/Tentative/Decline.
func meetingRequest(inv *mailbox.Invite) *wbxml.Node {
	const emailTime = "2006-01-02T15:04:05.000Z"
	stamp := inv.DtStamp
	if stamp.IsZero() {
		stamp = inv.Start
	}
	return wbxml.New("Email:MeetingRequest",
		wbxml.NewText("Email:AllDayEvent", boolText(inv.AllDay)),
		wbxml.NewText("Email:StartTime", inv.Start.UTC().Format(emailTime)),
		wbxml.NewText("Email:DtStamp", stamp.UTC().Format(emailTime)),
		wbxml.NewText("Email:EndTime", inv.End.UTC().Format(emailTime)),
		wbxml.NewText("Email:InstanceType", "0"),
		wbxml.NewText("Email:Location", inv.Location),
		wbxml.NewText("Email:Organizer", inv.OrganizerEmail),
		wbxml.NewText("Email:ResponseRequested", "1"),
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
		reqID := r.TextOf("RequestId")
		result := wbxml.New("Result", wbxml.NewText("RequestId", reqID))
		calID, status, err := s.answerInvite(ctx, c, reqID, r.TextOf("UserResponse"))
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

func (s *Server) answerInvite(ctx context.Context, c *call, reqID, answer string) (string, string, error) {
	itemID, _ := strconv.ParseUint(reqID, 10, 64)
	it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
	if errors.Is(err, mailbox.ErrNoItem) {
		return "", meetingInvalid, nil
	} else if err != nil {
		return "", "", err
	}
	inv, ok := mailbox.ParseInvite(it.MIME)
	if !ok || (answer != "1" && answer != "2" && answer != "3") {
		return "", meetingInvalid, nil
	}
	cal, err := s.mailbox.FolderByType(ctx, c.account.ID, mailbox.TypeCalendar)
	if err != nil {
		return "", "", err
	}
	existing, err := s.uids.FindPIMByUID(ctx, c.account.ID, cal.ID, inv.UID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", "", err
	}
	found := err == nil
	if answer == "3" { // decline
		if found {
			return "", meetingOK, s.mailbox.Delete(ctx, c.account.ID, existing.ID)
		}
		return "", meetingOK, nil
	}
	ev := &pim.Event{Subject: inv.Summary, Location: inv.Location, Start: inv.Start, End: inv.End, AllDay: inv.AllDay,
		UID: inv.UID, OrganizerEmail: inv.OrganizerEmail, OrganizerName: inv.OrganizerName, Body: inv.Description,
		MeetingStatus: 3, ResponseRequested: true, DtStamp: inv.DtStamp, BusyStatus: 2, ResponseType: 3}
	if answer == "2" {
		ev.BusyStatus, ev.ResponseType = 1, 2
	}
	for _, a := range inv.Attendees {
		att := pim.Attendee{Email: a.Email, Name: a.Name, Type: 1}
		if a.Optional {
			att.Type = 2
		}
		if a.Email == c.account.Email {
			att.Status = ev.ResponseType
		}
		ev.Attendees = append(ev.Attendees, att)
	}
	props, _ := json.Marshal(ev)
	if found {
		upd, err := s.mailbox.UpdatePIM(ctx, c.account.ID, existing.ID, ev.Summary(), keepForeign(existing.Props, string(props)))
		if err != nil {
			return "", "", err
		}
		return id(upd.ID), meetingOK, nil
	}
	added, err := s.mailbox.AddPIM(ctx, c.account.ID, cal.ID, mailbox.ClassCalendar, ev.Summary(), string(props))
	if err != nil {
		return "", "", err
	}
	return id(added.ID), meetingOK, nil
}
