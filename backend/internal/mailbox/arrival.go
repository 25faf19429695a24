package mailbox

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// ItemsArrived lists a folder's live items between two positions in arrival order (the EAS
// filter window moving; see store.ItemsArrived).
func (s *Service) ItemsArrived(ctx context.Context, folderID uint64, r store.ArrivalRange, limit int) ([]store.Item, error) {
	return s.store.ItemsArrived(ctx, folderID, r, limit)
}

// ItemsByUID returns the live items of a folder among uids.
func (s *Service) ItemsByUID(ctx context.Context, folderID uint64, uids []uint32) ([]store.Item, error) {
	return s.store.ItemsByUID(ctx, folderID, uids)
}
