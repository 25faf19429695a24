package imip

import (
	"context"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/pim"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// notResponded is the ResponseType of a series the account has not answered as a whole
// (MS-ASCAL ResponseType 5): it is in the calendar because one occurrence was answered.
const notResponded = 5

// respondOccurrence answers one occurrence of a recurring invitation (a.Instance, its original
// start): the occurrence becomes an exception carrying the answer — busy or tentative with the
// account's status among its attendees, or deleted when declined, as a declined meeting leaves
// the calendar — and the series keeps its own answer. When the series is not in the calendar
// yet it is put there unanswered (ResponseType 5, shown tentative), so the answered
// occurrence has a place and the organizer's later updates reach it (deliver.go).
func (s *Service) respondOccurrence(ctx context.Context, acct *store.Account, cal *store.Folder, existing *store.Item,
	sev *dav.ScheduledEvent, a Answer) (*store.Item, error) {
	if sev.Event.Recurrence == nil {
		return nil, ErrNotInvitation // one occurrence of a single meeting is the meeting
	}
	ev := sev.Event
	if existing != nil {
		old, err := decodeEvent(existing)
		if err != nil {
			return nil, err
		}
		ev = old
	} else {
		setAnswer(ev, acct.Email, Tentative)
		ev.ResponseType = notResponded
		for i := range ev.Attendees {
			if strings.EqualFold(ev.Attendees[i].Email, acct.Email) {
				ev.Attendees[i].Status = 0
			}
		}
	}
	x := exceptionAt(ev, a.Instance)
	busy := 2
	if a.Response == Tentative {
		busy = 1
	}
	x.Deleted, x.BusyStatus = a.Response == Declined, &busy
	x.Attendees = make([]pim.Attendee, len(ev.Attendees))
	copy(x.Attendees, ev.Attendees)
	for i := range x.Attendees {
		if strings.EqualFold(x.Attendees[i].Email, acct.Email) {
			x.Attendees[i].Status = a.Response
		}
	}
	setException(ev, x)

	var item *store.Item
	var err error
	if existing != nil {
		item, err = s.saved(ctx, existing, ev)
	} else {
		var props string
		if props, err = sev.Props(""); err == nil {
			item, err = s.mb.AddPIM(ctx, acct.ID, cal.ID, mailbox.ClassCalendar, ev.Summary(), props)
		}
	}
	if err != nil {
		return nil, err
	}
	if a.Send {
		occ := Occurrence{ID: a.Instance, Start: a.Instance, End: a.Instance.Add(ev.End.Sub(ev.Start))}
		if x.Start != nil && x.End != nil {
			occ.Start, occ.End = *x.Start, *x.End
		}
		s.sendReply(ctx, acct, ev, ReplyOccurrence(ev, acct.Email, a.Response, a.Comment, s.now(), occ))
	}
	return item, nil
}

// exceptionAt is the exception of the occurrence that starts at id originally (a copy of the
// one the event has, so a moved occurrence keeps its times), or a new one.
func exceptionAt(ev *pim.Event, id time.Time) pim.Exception {
	for _, x := range ev.Exceptions {
		if x.ExceptionStartTime.Equal(id) {
			return x
		}
	}
	return pim.Exception{ExceptionStartTime: id.UTC()}
}
