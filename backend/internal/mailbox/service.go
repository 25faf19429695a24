package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/cache"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/text"
)

// Store is what the mailbox needs from persistence.
type Store interface {
	CreateFolder(ctx context.Context, f *store.Folder) error
	FoldersOf(ctx context.Context, accountID uint64) ([]store.Folder, error)
	FolderOfType(ctx context.Context, accountID uint64, typ int) (*store.Folder, error)
	FolderTreeOf(ctx context.Context, accountID uint64) ([]store.Folder, error)
	FolderOf(ctx context.Context, accountID, id uint64) (*store.Folder, error)
	AddItem(ctx context.Context, it *store.Item) error
	UpdateItem(ctx context.Context, accountID, id uint64, p store.ItemPatch) (*store.Item, error)
	UpdateItemIfBelow(ctx context.Context, accountID, id uint64, p store.ItemPatch, below int64) (*store.Item, error)
	DeleteItem(ctx context.Context, accountID, id uint64) error
	DeleteFolderItems(ctx context.Context, accountID, folderID uint64) (int, error)
	MoveItem(ctx context.Context, accountID, id, dstFolderID uint64) (*store.Item, error)
	ItemOf(ctx context.Context, accountID, id uint64) (*store.Item, error)
	ItemMarks(ctx context.Context, folderID uint64) ([]store.Item, error)
	ItemMarksSince(ctx context.Context, folderID uint64, seq int64, limit int) ([]store.Item, error)
	ItemsArrived(ctx context.Context, folderID uint64, r store.ArrivalRange, limit int) ([]store.Item, error)
	ItemsByUID(ctx context.Context, folderID uint64, uids []uint32) ([]store.Item, error)
	ItemMark(ctx context.Context, folderID, id uint64) (*store.Item, error)
	ItemByDAVName(ctx context.Context, accountID, folderID uint64, name string) (*store.Item, error)
	ItemsSince(ctx context.Context, folderID uint64, seq int64, limit int) ([]store.Item, error)
	CountItemsSince(ctx context.Context, folderID uint64, seq int64) (live, deleted int64, err error)
	UpdateFolder(ctx context.Context, accountID, id, parentID uint64, name string) error
	DeleteFolder(ctx context.Context, accountID uint64, ids []uint64) error
	IMAPStore
	LiveMessages(ctx context.Context, accountID, folderID uint64) ([]store.Item, error)
}

// Errors callers map.
var (
	ErrNoFolder = errors.New("no such folder")
	ErrNoItem   = errors.New("no such item")
)

// MaxMessage is the largest message delivery accepts.
const MaxMessage = 50 << 20

// Service is the mailbox of every account.
type Service struct {
	store  Store
	notify Notifier
	now    func() time.Time
	trees  *cache.Cache[uint64, []store.Folder] // FolderTree by account
	// delivered hears of each message Deliver stored (OnDeliver); nil: nobody.
	delivered func(ctx context.Context, it *store.Item)
}

// OnDeliver sets what hears of each delivered message once it is stored (the calendar's
// scheduling: an organizer's update or cancellation, an attendee's reply). It is set once,
// when the application is built, and must not fail the delivery: it logs its own errors.
func (s *Service) OnDeliver(fn func(ctx context.Context, it *store.Item)) { s.delivered = fn }

// Folder trees are kept in memory (every FolderSync reads one) when the notifier tells of
// every change, here and on other instances: a hierarchy change drops the account's tree at
// once. treeTTL bounds a tree whose change notice was lost; treeMax bounds the memory
// (a tree of the default folders is about a kilobyte).
const (
	treeTTL = time.Minute
	treeMax = 50000
)

// New returns the service.
func New(st Store, n Notifier) *Service {
	s := &Service{store: st, notify: n, now: time.Now}
	if o, ok := n.(Observable); ok {
		s.trees = cache.New[uint64, []store.Folder](treeTTL, treeMax)
		ForgetOnChange(o, s.trees)
	}
	return s
}

// Notifier is where changes are published.
func (s *Service) Notifier() Notifier { return s.notify }

// FolderTree is Folders with only the hierarchy's fields (id, parent, name, type, class).
// The slice is the caller's to change.
func (s *Service) FolderTree(ctx context.Context, accountID uint64) ([]store.Folder, error) {
	if fs, ok := s.trees.Get(accountID); ok {
		return slices.Clone(fs), nil
	}
	epoch := s.trees.Epoch()
	fs, err := s.store.FolderTreeOf(ctx, accountID)
	if err == nil && len(fs) == 0 {
		fs, err = s.Folders(ctx, accountID) // a new account: make its default folders
	}
	if err != nil {
		return nil, err
	}
	s.trees.Put(epoch, accountID, accountID, slices.Clone(fs))
	return fs, nil
}

// Folders returns the account's folders, creating the default ones on first use.
func (s *Service) Folders(ctx context.Context, accountID uint64) ([]store.Folder, error) {
	fs, err := s.store.FoldersOf(ctx, accountID)
	if err != nil || len(fs) > 0 {
		return fs, err
	}
	for _, d := range defaults {
		f := &store.Folder{AccountID: accountID, DisplayName: d.Name, Type: d.Type, Class: d.Class}
		if err := s.store.CreateFolder(ctx, f); err != nil {
			return nil, err
		}
	}
	return s.store.FoldersOf(ctx, accountID)
}

// FolderByType finds a default folder of the account.
func (s *Service) FolderByType(ctx context.Context, accountID uint64, typ int) (*store.Folder, error) {
	f, err := s.store.FolderOfType(ctx, accountID, typ)
	if err == nil {
		return f, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	// None of that type: an account's default folders are made on its first use (Folders).
	fs, err := s.Folders(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		if fs[i].Type == typ {
			return &fs[i], nil
		}
	}
	return nil, ErrNoFolder
}

// Folder finds one folder of the account.
func (s *Service) Folder(ctx context.Context, accountID, id uint64) (*store.Folder, error) {
	f, err := s.store.FolderOf(ctx, accountID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoFolder
	}
	return f, err
}

// Deliver stores a raw RFC 5322 message in the account's Inbox and wakes its Pings.
func (s *Service) Deliver(ctx context.Context, accountID uint64, raw []byte) (*store.Item, error) {
	if len(raw) > MaxMessage {
		return nil, fmt.Errorf("message of %d bytes is larger than %d", len(raw), MaxMessage)
	}
	inbox, err := s.inboxOf(ctx, accountID)
	if err != nil {
		return nil, err
	}
	it, err := s.Store(ctx, accountID, inbox, raw, false)
	if err == nil && s.delivered != nil {
		s.delivered(ctx, it)
	}
	return it, err
}

// inboxOf finds the account's Inbox in its folder tree: kept in memory, the tree costs a
// delivery no read, and when it is not kept, reading it here serves what the delivery wakes
// (a held Ping's check reads the tree next). A default folder is never deleted and keeps its id,
// so a tree a moment old still names the Inbox. FolderTree makes the default folders of an
// account that has none, so only an account whose Inbox is gone has no Inbox here.
func (s *Service) inboxOf(ctx context.Context, accountID uint64) (uint64, error) {
	tree, err := s.FolderTree(ctx, accountID)
	if err != nil {
		return 0, err
	}
	for _, f := range tree {
		if f.Type == TypeInbox {
			return f.ID, nil
		}
	}
	return 0, ErrNoFolder
}

// Store puts a raw message into a folder (delivery, Sent Items, Drafts).
func (s *Service) Store(ctx context.Context, accountID, folderID uint64, raw []byte, read bool) (*store.Item, error) {
	it, err := s.mailItem(accountID, folderID, raw)
	if err != nil {
		return nil, err
	}
	it.Read = read
	return it, s.add(ctx, it)
}

// mailItem parses a raw message into a new item of a folder.
func (s *Service) mailItem(accountID, folderID uint64, raw []byte) (*store.Item, error) {
	p, err := Parse(raw, s.now())
	if err != nil {
		return nil, err
	}
	return &store.Item{AccountID: accountID, FolderID: folderID, Class: ClassEmail, ReceivedAt: p.Date,
		MessageID: text.CutRunes(p.MessageID, 191), FromAddr: text.CutRunes(p.From, 191), ToAddr: p.To, CcAddr: p.Cc,
		Subject: p.Subject, Importance: p.Importance, BodyText: p.Text, BodyHTML: p.HTML,
		MIME: raw, Size: int64(len(raw)), Attachments: AttachmentsJSON(p.Attachments)}, nil
}

// add stores a new item and tells its folder's waiters.
func (s *Service) add(ctx context.Context, it *store.Item) error {
	if err := s.store.AddItem(ctx, it); err != nil {
		return err
	}
	s.notify.Publish(Change{AccountID: it.AccountID, FolderID: it.FolderID})
	return nil
}

// Item finds a live item of the account.
func (s *Service) Item(ctx context.Context, accountID, id uint64) (*store.Item, error) {
	it, err := s.store.ItemOf(ctx, accountID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	}
	return it, err
}

// ItemMarks lists a folder's items, tombstones included, with only id, UID, change number,
// deleted and arrival time (what the EAS engine needs to know which a device holds).
func (s *Service) ItemMarks(ctx context.Context, folderID uint64) ([]store.Item, error) {
	return s.store.ItemMarks(ctx, folderID)
}

// ItemMark finds one item of a folder, live or a tombstone, with the columns of ItemMarks.
func (s *Service) ItemMark(ctx context.Context, folderID, id uint64) (*store.Item, error) {
	it, err := s.store.ItemMark(ctx, folderID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	}
	return it, err
}

// SetFlags changes read and flagged state (nil leaves a flag as it is).
func (s *Service) SetFlags(ctx context.Context, accountID, id uint64, read, flagged *bool) (*store.Item, error) {
	if read == nil && flagged == nil {
		return s.Item(ctx, accountID, id)
	}
	it, err := s.store.UpdateItem(ctx, accountID, id, store.ItemPatch{Read: read, Flagged: flagged})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	}
	if err == nil {
		s.notify.Publish(Change{AccountID: accountID, FolderID: it.FolderID})
	}
	return it, err
}

// Delete removes an item for good (a tombstone stays for devices to see).
func (s *Service) Delete(ctx context.Context, accountID, id uint64) error {
	it, err := s.Item(ctx, accountID, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteItem(ctx, accountID, id); err != nil {
		return err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: it.FolderID})
	return nil
}

// Move puts an item into another folder of the account and returns it with its new id.
func (s *Service) Move(ctx context.Context, accountID, id, dstFolderID uint64) (*store.Item, error) {
	it, err := s.Item(ctx, accountID, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Folder(ctx, accountID, dstFolderID); err != nil {
		return nil, err
	}
	moved, err := s.store.MoveItem(ctx, accountID, id, dstFolderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	} else if err != nil {
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: it.FolderID})
	s.notify.Publish(Change{AccountID: accountID, FolderID: dstFolderID})
	return moved, nil
}

// Changes returns a folder's items changed after seq, oldest first, at most limit.
func (s *Service) Changes(ctx context.Context, folderID uint64, seq int64, limit int) ([]store.Item, error) {
	return s.store.ItemsSince(ctx, folderID, seq, limit)
}

// ChangeMarks is Changes with only what tells whether a device holds each item (id, UID,
// change number, tombstone, arrival): enough to know whether there are changes to send.
func (s *Service) ChangeMarks(ctx context.Context, folderID uint64, seq int64, limit int) ([]store.Item, error) {
	return s.store.ItemMarksSince(ctx, folderID, seq, limit)
}

// CountChanges counts a folder's changes after seq.
func (s *Service) CountChanges(ctx context.Context, folderID uint64, seq int64) (live, deleted int64, err error) {
	return s.store.CountItemsSince(ctx, folderID, seq)
}

// AddPIM stores a contact, event, task or note (props is its JSON) in a folder.
func (s *Service) AddPIM(ctx context.Context, accountID, folderID uint64, class, summary, props string) (*store.Item, error) {
	return s.addPIM(ctx, &store.Item{AccountID: accountID, FolderID: folderID, Class: class, Subject: summary, Props: props})
}

func (s *Service) addPIM(ctx context.Context, it *store.Item) (*store.Item, error) {
	it.ReceivedAt, it.Read = s.now().UTC(), true
	accountID, folderID := it.AccountID, it.FolderID
	if err := s.store.AddItem(ctx, it); err != nil {
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: folderID})
	return it, nil
}

// UpdatePIM replaces the properties of a contact, event, task or note.
func (s *Service) UpdatePIM(ctx context.Context, accountID, id uint64, summary, props string) (*store.Item, error) {
	return s.updatePIM(ctx, accountID, id, store.ItemPatch{Subject: &summary, Props: &props})
}

func (s *Service) updatePIM(ctx context.Context, accountID, id uint64, p store.ItemPatch) (*store.Item, error) {
	it, err := s.store.UpdateItem(ctx, accountID, id, p)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	} else if err != nil {
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID, FolderID: it.FolderID})
	return it, nil
}
