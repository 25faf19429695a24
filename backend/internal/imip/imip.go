package imip

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/pim"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// ErrNotInvitation: the message carries no meeting request that can be answered.
var ErrNotInvitation = errors.New("the message is no meeting request")

// Answers an attendee gives (the pim.Event ResponseType values).
const (
	Tentative = 2
	Accepted  = 3
	Declined  = 4
)

// Store is what scheduling reads beside the mailbox.
type Store interface {
	FindPIMByUID(ctx context.Context, accountID, folderID uint64, uid string) (*store.Item, error)
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
}

// Sender submits a message as the account (mailbox.Sender).
type Sender interface {
	Send(ctx context.Context, accountID uint64, from string, raw []byte, saveInSent bool) error
}

// Service schedules for the accounts' calendars.
type Service struct {
	mb     *mailbox.Service
	store  Store
	sender Sender
	log    *slog.Logger
	now    func() time.Time
}

// New returns the service.
func New(mb *mailbox.Service, st Store, sender Sender, log *slog.Logger) *Service {
	return &Service{mb: mb, store: st, sender: sender, log: log, now: time.Now}
}

// Answer is an attendee's response to an invitation.
type Answer struct {
	Response int  // Tentative, Accepted or Declined
	Send     bool // send the METHOD:REPLY to the organizer
	Comment  string
	// Instance, when set, is the original start of the one occurrence answered (the 16.x
	// MeetingResponse InstanceId): the series keeps its answer (occurrence.go).
	Instance time.Time
}

// Respond answers the invitation in raw for the account: accepted and tentative put the
// meeting (with its recurrence) in the calendar or update it, declined takes it out; with
// a.Send the organizer gets the REPLY. It returns the calendar item (nil when declined).
// A reply that cannot be submitted is logged: the calendar already holds the answer.
func (s *Service) Respond(ctx context.Context, acct *store.Account, raw []byte, a Answer) (*store.Item, error) {
	method, text, ok := mailbox.CalendarPart(raw)
	if !ok || method != "REQUEST" || (a.Response != Tentative && a.Response != Accepted && a.Response != Declined) {
		return nil, ErrNotInvitation
	}
	sev, err := dav.EventFromScheduling(string(text), acct.Email)
	if err != nil || sev.Event == nil {
		sev = simpleInvite(raw) // what the full mapping refuses, read as a single meeting
	}
	if sev == nil || sev.Event.UID == "" {
		return nil, ErrNotInvitation
	}
	cal, existing, err := s.stored(ctx, acct.ID, sev.Event.UID)
	if err != nil {
		return nil, err
	}
	if !a.Instance.IsZero() {
		return s.respondOccurrence(ctx, acct, cal, existing, sev, a)
	}
	ev := sev.Event
	setAnswer(ev, acct.Email, a.Response)
	var item *store.Item
	switch {
	case a.Response == Declined && existing != nil:
		err = s.mb.Delete(ctx, acct.ID, existing.ID)
	case a.Response == Declined:
	case existing != nil:
		item, err = s.update(ctx, acct.ID, existing, sev)
	default:
		var props string
		if props, err = sev.Props(""); err == nil {
			item, err = s.mb.AddPIM(ctx, acct.ID, cal.ID, mailbox.ClassCalendar, ev.Summary(), props)
		}
	}
	if err != nil {
		return nil, err
	}
	if a.Send {
		s.sendReply(ctx, acct, ev, Reply(ev, acct.Email, a.Response, a.Comment, s.now()))
	}
	return item, nil
}

// sendReply submits a reply to the organizer of ev, unless the account organizes it itself or
// the organizer is no plain address.
func (s *Service) sendReply(ctx context.Context, acct *store.Account, ev *pim.Event, reply []byte) {
	if !plainAddress(ev.OrganizerEmail) || strings.EqualFold(ev.OrganizerEmail, acct.Email) {
		return
	}
	if err := s.sender.Send(ctx, acct.ID, acct.Email, reply, true); err != nil {
		s.log.Warn("imip: reply not submitted", "account", acct.Email, "organizer", ev.OrganizerEmail, "err", err)
	}
}

// setAnswer records the account's answer on the event it keeps.
func setAnswer(ev *pim.Event, self string, response int) {
	ev.MeetingStatus, ev.ResponseRequested, ev.ResponseType, ev.BusyStatus = 3, true, response, 2
	if response == Tentative {
		ev.BusyStatus = 1
	}
	for i := range ev.Attendees {
		if strings.EqualFold(ev.Attendees[i].Email, self) {
			ev.Attendees[i].Status = response
		}
	}
}

func (s *Service) stored(ctx context.Context, accountID uint64, uid string) (*store.Folder, *store.Item, error) {
	cal, err := s.mb.FolderByType(ctx, accountID, mailbox.TypeCalendar)
	if err != nil {
		return nil, nil, err
	}
	it, err := s.store.FindPIMByUID(ctx, accountID, cal.ID, uid)
	if errors.Is(err, store.ErrNotFound) {
		return cal, nil, nil
	}
	return cal, it, err
}

func (s *Service) update(ctx context.Context, accountID uint64, it *store.Item, sev *dav.ScheduledEvent) (*store.Item, error) {
	props, err := sev.Props(it.Props)
	if err != nil {
		return nil, err
	}
	return s.mb.UpdatePIM(ctx, accountID, it.ID, sev.Event.Summary(), props)
}

// simpleInvite reads an invitation the iCalendar mapping refuses (an odd RRULE, DTEND before
// DTSTART) the way MeetingResponse always did: one meeting, its times, organizer and
// attendees. nil when the message has no meeting request at all.
func simpleInvite(raw []byte) *dav.ScheduledEvent {
	inv, ok := mailbox.ParseInvite(raw)
	if !ok {
		return nil
	}
	ev := &pim.Event{Subject: inv.Summary, Location: inv.Location, Start: inv.Start, End: inv.End, AllDay: inv.AllDay,
		UID: inv.UID, OrganizerEmail: inv.OrganizerEmail, OrganizerName: inv.OrganizerName, Body: inv.Description,
		DtStamp: inv.DtStamp}
	for _, a := range inv.Attendees {
		att := pim.Attendee{Email: a.Email, Name: a.Name, Type: 1}
		if a.Optional {
			att.Type = 2
		}
		ev.Attendees = append(ev.Attendees, att)
	}
	return &dav.ScheduledEvent{Event: ev}
}

// plainAddress: a bare address a header can carry as it is (no name, no line break).
func plainAddress(a string) bool {
	p, err := mail.ParseAddress(a)
	return err == nil && p.Address == a
}

func decodeEvent(it *store.Item) (*pim.Event, error) {
	var ev pim.Event
	err := json.Unmarshal([]byte(it.Props), &ev)
	return &ev, err
}
