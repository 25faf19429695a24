package mailbox

import (
	"context"
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Lister is the store's listing of a folder without bodies (store.LiveMessages). It is asked
// for apart from Store so that this file alone adds it.
type Lister interface {
	LiveMessages(ctx context.Context, accountID, folderID uint64) ([]store.Item, error)
}

// ErrNoListing: the store this service was built on cannot list a folder without bodies.
var ErrNoListing = errors.New("mailbox store cannot list messages")

// Messages lists the live messages of a folder of the account, oldest first, with id, size,
// received time and Message-ID only (no bodies: fetch one with Item).
func (s *Service) Messages(ctx context.Context, accountID, folderID uint64) ([]store.Item, error) {
	l, ok := s.store.(Lister)
	if !ok {
		return nil, ErrNoListing
	}
	return l.LiveMessages(ctx, accountID, folderID)
}
