package mailbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// IMAPStore is what the IMAP door needs of persistence beyond the EAS view: a folder's items
// by UID, whole items by id, copies, counts and search candidates.
type IMAPStore interface {
	IMAPIndex(ctx context.Context, accountID, folderID uint64, since int64) ([]store.IndexRow, error)
	ItemsByID(ctx context.Context, accountID uint64, ids []uint64) ([]store.Item, error)
	SearchItemsByID(ctx context.Context, accountID uint64, ids []uint64, mime bool) ([]store.Item, error)
	CopyItem(ctx context.Context, accountID, id, dstFolderID uint64) (*store.Item, error)
	FolderCounts(ctx context.Context, accountID, folderID uint64) (messages, unseen int64, err error)
	IMAPSubscriptions(ctx context.Context, accountID uint64) ([]store.IMAPSubscription, error)
	SetIMAPSubscription(ctx context.Context, accountID uint64, name string, subscribed bool) error
	SearchCandidates(ctx context.Context, accountID, folderID uint64, text string, fields store.SearchField) (cands, sure map[uint64]bool, ok bool, err error)
}

// Subscriptions lists what the account's IMAP clients subscribed (true) or unsubscribed
// (false), by mailbox name; a name not listed was neither.
func (s *Service) Subscriptions(ctx context.Context, accountID uint64) (map[string]bool, error) {
	rows, err := s.store.IMAPSubscriptions(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.Name] = r.Subscribed
	}
	return out, nil
}

// ErrTooManySubscriptions: the account keeps store.MaxSubscriptions names at most.
var ErrTooManySubscriptions = errors.New("too many subscriptions")

// SetSubscribed records an IMAP SUBSCRIBE (true) or UNSUBSCRIBE (false) of a mailbox name.
func (s *Service) SetSubscribed(ctx context.Context, accountID uint64, name string, subscribed bool) error {
	err := s.store.SetIMAPSubscription(ctx, accountID, name, subscribed)
	if errors.Is(err, store.ErrLimit) {
		return ErrTooManySubscriptions
	}
	return err
}

// Flags is an item's IMAP flag state: \Seen is Read (EAS Read), \Flagged is Flagged (EAS
// Flag), Other the rest (\Answered, \Draft, \Deleted, keywords), space-separated.
type Flags struct {
	Read, Flagged bool
	Other         string
}

// MaxOtherFlags bounds Flags.Other (the column's size).
const MaxOtherFlags = 1000

// ErrTooManyFlags: the keywords do not fit.
var ErrTooManyFlags = errors.New("too many keywords on one message")

// Index lists a folder's live items by UID (since 0), or its items changed after since,
// tombstones included, with only the fields an IMAP session keeps.
func (s *Service) Index(ctx context.Context, accountID, folderID uint64, since int64) ([]store.IndexRow, error) {
	return s.store.IMAPIndex(ctx, accountID, folderID, since)
}

// SearchItemsByID returns what IMAP SEARCH tests of the account's live items among ids: the
// bodies, and the MIME when mime is set.
func (s *Service) SearchItemsByID(ctx context.Context, accountID uint64, ids []uint64, mime bool) ([]store.Item, error) {
	return s.store.SearchItemsByID(ctx, accountID, ids, mime)
}

// ItemsByID returns the account's live items among ids, whole.
func (s *Service) ItemsByID(ctx context.Context, accountID uint64, ids []uint64) ([]store.Item, error) {
	return s.store.ItemsByID(ctx, accountID, ids)
}

// Counts counts a folder's live items and unread ones.
func (s *Service) Counts(ctx context.Context, accountID, folderID uint64) (messages, unseen int64, err error) {
	return s.store.FolderCounts(ctx, accountID, folderID)
}

// SetAllFlags sets every flag of an item at once (IMAP STORE). Like SetFlags it gives the item
// a new change number and wakes the folder's waiters, so a phone's held Ping sees it.
func (s *Service) SetAllFlags(ctx context.Context, accountID, id uint64, f Flags) (*store.Item, error) {
	if len(f.Other) > MaxOtherFlags {
		return nil, ErrTooManyFlags
	}
	it, err := s.store.UpdateItem(ctx, accountID, id, store.ItemPatch{Read: &f.Read, Flagged: &f.Flagged, IMAPFlags: &f.Other})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	} else if err != nil {
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: it.FolderID})
	return it, nil
}

// ErrModified: a conditional flag change found the item changed since the client looked.
var ErrModified = errors.New("the message changed since")

// SetAllFlagsIfBelow is SetAllFlags for an item whose change number is still below below
// (IMAP STORE UNCHANGEDSINCE); ErrModified, and nothing changed, when it is not.
func (s *Service) SetAllFlagsIfBelow(ctx context.Context, accountID, id uint64, f Flags, below int64) (*store.Item, error) {
	if len(f.Other) > MaxOtherFlags {
		return nil, ErrTooManyFlags
	}
	it, err := s.store.UpdateItemIfBelow(ctx, accountID, id, store.ItemPatch{Read: &f.Read, Flagged: &f.Flagged, IMAPFlags: &f.Other}, below)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrNoItem
	case errors.Is(err, store.ErrModified):
		return nil, ErrModified
	case err != nil:
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: it.FolderID})
	return it, nil
}

// Copy puts a copy of an item into a folder of the account (IMAP COPY).
func (s *Service) Copy(ctx context.Context, accountID, id, dstFolderID uint64) (*store.Item, error) {
	c, err := s.store.CopyItem(ctx, accountID, id, dstFolderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	} else if err != nil {
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: dstFolderID})
	return c, nil
}

// Append stores a raw message a client saves into a folder (IMAP APPEND: Sent, Drafts),
// parsed like a delivery, with its flags and, when given, its internal date.
func (s *Service) Append(ctx context.Context, accountID, folderID uint64, raw []byte, f Flags, date time.Time) (*store.Item, error) {
	if len(raw) > MaxMessage {
		return nil, fmt.Errorf("message of %d bytes is larger than %d", len(raw), MaxMessage)
	}
	if len(f.Other) > MaxOtherFlags {
		return nil, ErrTooManyFlags
	}
	if _, err := s.Folder(ctx, accountID, folderID); err != nil {
		return nil, err
	}
	it, err := s.mailItem(accountID, folderID, raw)
	if err != nil {
		return nil, err
	}
	it.Read, it.Flagged, it.IMAPFlags = f.Read, f.Flagged, f.Other
	if !date.IsZero() {
		it.ReceivedAt = date.UTC()
	}
	return it, s.add(ctx, it)
}

// SearchCandidates returns the account's live mail that may contain text, from the search
// index (a superset: the caller confirms each), and those that certainly contain it in one of
// fields (need no confirmation); ok is false when the index cannot narrow it.
func (s *Service) SearchCandidates(ctx context.Context, accountID, folderID uint64, text string, fields store.SearchField) (cands, sure map[uint64]bool, ok bool, err error) {
	return s.store.SearchCandidates(ctx, accountID, folderID, text, fields)
}
