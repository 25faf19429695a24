package eas

import (
	"context"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// MoveItems status codes of MS-ASCMD 2.2.3.177.9.
const (
	moveInvalidSource = "1"
	moveInvalidDest   = "2"
	moveOK            = "3"
	moveSameFolder    = "4"
)

// moveItems moves messages between folders; each moved item gets a new ServerId (DstMsgId).
func (s *Server) moveItems(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("Move:MoveItems")
	if c.body == nil || c.body.Name != "Move:MoveItems" {
		return resp.Add(wbxml.New("Response", wbxml.NewText("Status", "5"))), nil
	}
	for _, m := range c.body.All("Move") {
		src, srcFld, dst := m.TextOf("SrcMsgId"), m.TextOf("SrcFldId"), m.TextOf("DstFldId")
		r := wbxml.New("Response", wbxml.NewText("SrcMsgId", src))
		itemID, _ := strconv.ParseUint(src, 10, 64)
		dstID, _ := strconv.ParseUint(dst, 10, 64)
		it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
		switch {
		case errors.Is(err, mailbox.ErrNoItem) || (err == nil && id(it.FolderID) != srcFld):
			resp.Add(r.Add(wbxml.NewText("Status", moveInvalidSource)))
			continue
		case err != nil:
			return nil, err
		case srcFld == dst:
			resp.Add(r.Add(wbxml.NewText("Status", moveSameFolder)))
			continue
		}
		moved, err := s.mailbox.Move(ctx, c.account.ID, itemID, dstID)
		if errors.Is(err, mailbox.ErrNoFolder) {
			resp.Add(r.Add(wbxml.NewText("Status", moveInvalidDest)))
			continue
		} else if err != nil {
			return nil, err
		}
		// The device moved it itself: its source collection need not hear of the delete.
		s.forget(ctx, c, srcFld, it)
		resp.Add(r.Add(wbxml.NewText("Status", moveOK), wbxml.NewText("DstMsgId", id(moved.ID))))
	}
	return resp, nil
}

// forget drops an item from the device's state of a collection (best effort).
func (s *Server) forget(ctx context.Context, c *call, collection string, it *store.Item) {
	row, err := s.states.store.SyncStateOf(ctx, c.device.ID, collection)
	if err != nil {
		return
	}
	st, err := s.collStateOf(ctx, it.FolderID, row.State)
	if err != nil || !st.holds(it) {
		return
	}
	st.setNotHeld(it)
	row.State = st.encode()
	if err := s.states.store.SaveSyncState(ctx, row); err != nil {
		s.log.Warn("eas: updating state after a move", "err", err)
	}
}
