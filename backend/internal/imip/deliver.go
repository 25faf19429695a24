package imip

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/pim"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Delivered applies a delivered iMIP message to the account's calendar (mailbox.OnDeliver):
// an organizer's REQUEST updates and CANCEL cancels a meeting the account has answered, an
// attendee's REPLY sets that attendee's status on a meeting the account organizes. Anything
// else, or a message whose sender is not the organizer or attendee it speaks for, changes
// nothing. Errors are logged: the message is delivered all the same.
func (s *Service) Delivered(ctx context.Context, it *store.Item) {
	if err := s.delivered(ctx, it); err != nil {
		s.log.Warn("imip: delivered message not applied", "item", it.ID, "err", err)
	}
}

func (s *Service) delivered(ctx context.Context, it *store.Item) error {
	if !hasCalendar(it) {
		return nil
	}
	method, text, ok := mailbox.CalendarPart(it.MIME)
	if !ok || (method != "REQUEST" && method != "CANCEL" && method != "REPLY") {
		return nil
	}
	acct, err := s.store.AccountByID(ctx, it.AccountID)
	if err != nil {
		return err
	}
	sev, err := dav.EventFromScheduling(string(text), acct.Email)
	if err != nil {
		return nil // not ours to judge: the message stays in the Inbox as it is
	}
	uid := ""
	if sev.Event != nil {
		uid = sev.Event.UID
	} else {
		uid = instanceUID(string(text))
	}
	if uid == "" {
		return nil
	}
	_, existing, err := s.stored(ctx, it.AccountID, uid)
	if err != nil || existing == nil {
		return err
	}
	old, err := decodeEvent(existing)
	if err != nil {
		return err
	}
	from := fromAddress(it.FromAddr)
	switch method {
	case "REQUEST", "CANCEL":
		if old.OrganizerEmail == "" || !strings.EqualFold(from, old.OrganizerEmail) || sev.Sequence < old.Sequence {
			return nil // not from the organizer, or older than what the calendar holds
		}
		if method == "REQUEST" {
			return s.organizerUpdate(ctx, acct, existing, old, sev)
		}
		return s.cancel(ctx, existing, old, sev)
	default: // REPLY
		return s.attendeeReply(ctx, existing, old, sev, from)
	}
}

// organizerUpdate replaces the meeting with the organizer's new version, keeping the account's
// answer. An update of single occurrences only replaces those occurrences.
func (s *Service) organizerUpdate(ctx context.Context, acct *store.Account, it *store.Item, old *pim.Event, sev *dav.ScheduledEvent) error {
	if sev.Event == nil {
		for _, x := range sev.Instances {
			setException(old, x)
		}
		old.Sequence = max(old.Sequence, sev.Sequence)
		return s.save(ctx, it, old)
	}
	ev := sev.Event
	setAnswer(ev, acct.Email, old.ResponseType)
	if old.ResponseType != Tentative && old.ResponseType != Accepted {
		ev.ResponseType, ev.BusyStatus = old.ResponseType, old.BusyStatus
	}
	_, err := s.update(ctx, it.AccountID, it, sev)
	return err
}

// cancel marks the meeting cancelled (MeetingStatus 7: received and cancelled, which phones and
// CalDAV show as such; the user removes it), or deletes the cancelled occurrences.
func (s *Service) cancel(ctx context.Context, it *store.Item, old *pim.Event, sev *dav.ScheduledEvent) error {
	if sev.Event == nil {
		for _, x := range sev.Instances {
			setException(old, pim.Exception{ExceptionStartTime: x.ExceptionStartTime, Deleted: true})
		}
	} else {
		old.MeetingStatus, old.BusyStatus = 7, 0
	}
	old.Sequence = max(old.Sequence, sev.Sequence)
	return s.save(ctx, it, old)
}

// attendeeReply sets the status of the attendee who answers, on a meeting the account
// organizes; the reply must come from that attendee.
func (s *Service) attendeeReply(ctx context.Context, it *store.Item, old *pim.Event, sev *dav.ScheduledEvent, from string) error {
	if sev.Event == nil || old.MeetingStatus&^4 != 1 {
		return nil
	}
	changed := false
	for _, a := range sev.Event.Attendees {
		if a.Status == 0 || !strings.EqualFold(from, a.Email) {
			continue
		}
		for i := range old.Attendees {
			if strings.EqualFold(old.Attendees[i].Email, a.Email) && old.Attendees[i].Status != a.Status {
				old.Attendees[i].Status, changed = a.Status, true
			}
		}
	}
	if !changed {
		return nil
	}
	return s.save(ctx, it, old)
}

// setException puts x in place of the exception of the same occurrence.
func setException(ev *pim.Event, x pim.Exception) {
	for i := range ev.Exceptions {
		if ev.Exceptions[i].ExceptionStartTime.Equal(x.ExceptionStartTime) {
			ev.Exceptions[i] = x
			return
		}
	}
	ev.Exceptions = append(ev.Exceptions, x)
}

// save stores ev in place of the item's event, keeping what other doors keep beside it.
func (s *Service) save(ctx context.Context, it *store.Item, ev *pim.Event) error {
	_, err := s.saved(ctx, it, ev)
	return err
}

func (s *Service) saved(ctx context.Context, it *store.Item, ev *pim.Event) (*store.Item, error) {
	props, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	var o, n map[string]json.RawMessage
	if json.Unmarshal([]byte(it.Props), &o) == nil && o["dav"] != nil && json.Unmarshal(props, &n) == nil {
		n["dav"] = o["dav"]
		if props, err = json.Marshal(n); err != nil {
			return nil, err
		}
	}
	return s.mb.UpdatePIM(ctx, it.AccountID, it.ID, ev.Summary(), string(props))
}

// fromAddress is the address of a message's From (as stored: `"Name" <addr>` or addr).
func fromAddress(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address
	}
	return strings.TrimSpace(from)
}

// hasCalendar: the message has a text/calendar part (the stored attachment list says so
// without parsing the MIME).
func hasCalendar(it *store.Item) bool {
	for _, a := range mailbox.DecodeAttachments(it.Attachments) {
		if a.ContentType == "text/calendar" {
			return true
		}
	}
	return false
}

// instanceUID reads the UID of a message that carries occurrences only.
func instanceUID(text string) string {
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if v, ok := strings.CutPrefix(line, "UID:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
