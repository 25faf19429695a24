package mailbox

import (
	"context"
	"errors"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Errors of folder changes; the EAS layer maps them to FolderCreate/Update/Delete statuses.
var (
	ErrFolderExists  = errors.New("a folder of that name exists there")
	ErrSpecialFolder = errors.New("default folders cannot be changed")
	ErrNoParent      = errors.New("no such parent folder")
	ErrBadFolder     = errors.New("invalid folder name or type")
)

// classOfType is the item class a new folder of an EAS folder type holds.
var classOfType = map[int]string{TypeUserGeneric: ClassEmail, TypeUserMail: ClassEmail, 13: ClassCalendar, 14: ClassContacts, 15: ClassTasks, 17: ClassNotes}

// CreateFolder adds a user folder under parent (0: top level).
func (s *Service) CreateFolder(ctx context.Context, accountID, parent uint64, name string, typ int) (*store.Folder, error) {
	return s.createFolder(ctx, &store.Folder{AccountID: accountID, ParentID: parent, DisplayName: name, Type: typ})
}

func (s *Service) createFolder(ctx context.Context, f *store.Folder) (*store.Folder, error) {
	accountID, parent, name, typ := f.AccountID, f.ParentID, f.DisplayName, f.Type
	class, ok := classOfType[typ]
	name = strings.TrimSpace(name)
	if !ok || name == "" || len([]rune(name)) > 191 {
		return nil, ErrBadFolder
	}
	if err := s.checkPlace(ctx, accountID, 0, parent, name); err != nil {
		return nil, err
	}
	f.DisplayName, f.Class = name, class
	if err := s.store.CreateFolder(ctx, f); err != nil {
		return nil, err
	}
	s.notify.Publish(Change{AccountID: accountID}) // the hierarchy changed
	return f, nil
}

// UpdateFolder renames or moves a user folder.
func (s *Service) UpdateFolder(ctx context.Context, accountID, id, parent uint64, name string) error {
	f, err := s.Folder(ctx, accountID, id)
	if err != nil {
		return err
	}
	if IsDefaultType(f.Type) {
		return ErrSpecialFolder
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 191 || parent == id {
		return ErrBadFolder
	}
	if err := s.checkPlace(ctx, accountID, id, parent, name); err != nil {
		return err
	}
	if err := s.store.UpdateFolder(ctx, accountID, id, parent, name); err != nil {
		return err
	}
	s.notify.Publish(Change{AccountID: accountID})
	return nil
}

// DeleteFolder removes a user folder, its subfolders and everything in them.
func (s *Service) DeleteFolder(ctx context.Context, accountID, id uint64) error {
	f, err := s.Folder(ctx, accountID, id)
	if err != nil {
		return err
	}
	if IsDefaultType(f.Type) {
		return ErrSpecialFolder
	}
	all, err := s.store.FoldersOf(ctx, accountID)
	if err != nil {
		return err
	}
	ids := []uint64{id}
	for changed := true; changed; { // collect the subtree
		changed = false
		for _, g := range all {
			if contains(ids, g.ParentID) && !contains(ids, g.ID) {
				ids, changed = append(ids, g.ID), true
			}
		}
	}
	if err := s.store.DeleteFolder(ctx, accountID, ids); err != nil {
		return err
	}
	s.notify.Publish(Change{AccountID: accountID})
	return nil
}

// checkPlace: the parent exists and no sibling has the name (case-insensitively).
func (s *Service) checkPlace(ctx context.Context, accountID, self, parent uint64, name string) error {
	all, err := s.Folders(ctx, accountID)
	if err != nil {
		return err
	}
	parentFound := parent == 0
	for _, f := range all {
		if f.ID == parent {
			parentFound = true
		}
		if f.ID != self && f.ParentID == parent && strings.EqualFold(f.DisplayName, name) {
			return ErrFolderExists
		}
	}
	if !parentFound {
		return ErrNoParent
	}
	return nil
}

func contains(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// EmptyFolder deletes every live item of a folder of the account, each as Delete does (a
// tombstone with its own change number, so devices, IMAP sessions and DAV see the deletes;
// the store works in batches, not a transaction per item), and with subfolders also its
// non-default subfolders with everything in them (as DeleteFolder; a protected default
// folder below it stays, with its contents). Any folder of the account may be emptied:
// MS-ASCMD puts no folder off limits. It returns how many items went.
func (s *Service) EmptyFolder(ctx context.Context, accountID, id uint64, subfolders bool) (int, error) {
	if _, err := s.Folder(ctx, accountID, id); err != nil {
		return 0, err
	}
	n, err := s.store.DeleteFolderItems(ctx, accountID, id)
	if n > 0 {
		s.notify.Publish(Change{AccountID: accountID, FolderID: id})
	}
	if err != nil {
		return n, err
	}
	if !subfolders {
		return n, nil
	}
	all, err := s.store.FoldersOf(ctx, accountID)
	if err != nil {
		return n, err
	}
	for _, f := range all {
		if f.ParentID == id && !IsDefaultType(f.Type) {
			if err := s.DeleteFolder(ctx, accountID, f.ID); err != nil && !errors.Is(err, ErrNoFolder) {
				return n, err
			}
		}
	}
	return n, nil
}
