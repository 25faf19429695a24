package mailbox

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Messages lists the live messages of a folder of the account, oldest first, with id, size,
// received time and Message-ID only (no bodies: fetch one with Item).
func (s *Service) Messages(ctx context.Context, accountID, folderID uint64) ([]store.Item, error) {
	return s.store.LiveMessages(ctx, accountID, folderID)
}
