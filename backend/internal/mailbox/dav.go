package mailbox

import (
	"context"
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// The names CalDAV/CardDAV clients choose: the URL segment a collection was made at and the
// resource name an object was PUT under. They are kept in indexed columns so that the dav
// package finds them without reading a whole folder; names longer than MaxDAVName are not
// kept there (dav finds those by reading the folder).

// MaxDAVName is the longest name, in bytes, the store keeps for a DAV folder or item.
const MaxDAVName = store.MaxDAVName

// davName is name when the store can keep it, else "".
func davName(name string) string {
	if len(name) > MaxDAVName {
		return ""
	}
	return name
}

// CreateDAVFolder adds a top-level user folder displayed as name, which a DAV client made at
// the URL segment seg.
func (s *Service) CreateDAVFolder(ctx context.Context, accountID uint64, name, seg string, typ int) (*store.Folder, error) {
	return s.createFolder(ctx, &store.Folder{AccountID: accountID, DisplayName: name, Type: typ, DAVName: davName(seg)})
}

// AddDAVItem stores a contact, event or task a DAV client PUT under name.
func (s *Service) AddDAVItem(ctx context.Context, accountID, folderID uint64, class, name, summary, props string) (*store.Item, error) {
	return s.addPIM(ctx, &store.Item{AccountID: accountID, FolderID: folderID, Class: class, Subject: summary,
		Props: props, DAVName: davName(name)})
}

// UpdateDAVItem replaces the properties of an item a DAV client PUT under name (and records
// the name, for an item stored before the name had its column).
func (s *Service) UpdateDAVItem(ctx context.Context, accountID, id uint64, name, summary, props string) (*store.Item, error) {
	n := davName(name)
	return s.updatePIM(ctx, accountID, id, store.ItemPatch{Subject: &summary, Props: &props, DAVName: &n})
}

// ItemByDAVName finds the live item of the account a DAV client PUT into the folder under
// name; ErrNoItem when there is none (or name is longer than MaxDAVName).
func (s *Service) ItemByDAVName(ctx context.Context, accountID, folderID uint64, name string) (*store.Item, error) {
	if name == "" || len(name) > MaxDAVName {
		return nil, ErrNoItem
	}
	it, err := s.store.ItemByDAVName(ctx, accountID, folderID, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoItem
	}
	return it, err
}
