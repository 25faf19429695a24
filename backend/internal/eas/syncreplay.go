package eas

import (
	"context"
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// replaySync answers a retry of the previous key: the device did not get the answer that came
// with the current key, so it gets that answer again — the same SyncKey, the same server
// changes (the items as they are now) and the same MoreAvailable — and whatever changed since
// waits for the next Sync. Two answers that carry one key describe one state, so whichever of
// them the phone kept, the server's state is its state, and nothing is skipped (Z-Push and
// grommunio-sync also answer a retry with the same key, but recompute it from the older state,
// so that mail arriving in between rides in the retry while the first answer, if the phone did
// keep it, lacked it: the state then claims the phone has mail it never got).
func (s *Server) replaySync(ctx context.Context, c *call, folder *store.Folder, col *syncCollection, ld *loaded,
	base, st, lost *collState, responses *wbxml.Node) (collectionResult, error) {
	// What the resent commands did that the first time did not (an Add or Delete not seen
	// then) moves the lost answer's state too; what the device changed is not echoed back.
	for _, op := range st.log {
		if op.held {
			lost.setHeld(&op.item)
		} else {
			lost.setNotHeld(&op.item)
		}
	}
	for k, v := range st.Echo {
		if base.Echo[k] != v {
			lost.Echo[k] = v
		}
	}
	for k, v := range st.Clients {
		lost.Clients[k] = v
	}
	sent, err := lost.sent()
	if err != nil {
		return collectionResult{}, err
	}
	var changes []serverChange
	for _, x := range sent {
		if x.Op == opDelete || x.Op == opSoftDelete {
			changes = append(changes, serverChange{Op: x.Op, Item: store.Item{ID: x.ID}})
			continue
		}
		it, err := s.mailbox.Item(ctx, c.account.ID, x.ID)
		if errors.Is(err, mailbox.ErrNoItem) || (err == nil && it.FolderID != folder.ID) {
			continue // gone since: the state still holds it, so its Delete comes with the next Sync
		} else if err != nil {
			return collectionResult{}, err
		}
		changes = append(changes, serverChange{Op: x.Op, Item: *it})
	}
	key, err := s.states.keep(ctx, ld, lost.encode())
	if err != nil {
		return collectionResult{}, err
	}
	return s.collectionNode(ctx, c, col, key, responses, lost.More, changes)
}

// collectionNode is a collection's part of a Sync answer. An item that cannot be encoded fails
// the request, which the device retries; from the loopLimit-th failure on it is left out (the
// state counts it as sent, so it stays skipped) and the loop recorded (loop.go).
func (s *Server) collectionNode(ctx context.Context, c *call, col *syncCollection, key string, responses *wbxml.Node, more bool, changes []serverChange) (collectionResult, error) {
	n := wbxml.New("Collection", wbxml.NewText("SyncKey", key), wbxml.NewText("CollectionId", col.ID), wbxml.NewText("Status", syncOK))
	if len(responses.Children) > 0 {
		n.Add(responses)
	}
	if more {
		n.Add(wbxml.New("MoreAvailable"))
	}
	if len(changes) > 0 {
		cmds := wbxml.New("Commands")
		for _, ch := range changes {
			switch ch.Op {
			case opDelete, opSoftDelete:
				cmds.Add(wbxml.New(ch.Op, wbxml.NewText("ServerId", id(ch.Item.ID))))
			default:
				data, err := applicationData(&ch.Item, col.Body, c.req.ProtocolVersion)
				if err != nil {
					if s.looping(ctx, c, col.ID, "Encode", id(ch.Item.ID)) {
						continue
					}
					return collectionResult{}, err
				}
				cmds.Add(wbxml.New(ch.Op, wbxml.NewText("ServerId", id(ch.Item.ID)), wbxml.New("ApplicationData", data...)))
			}
		}
		if len(cmds.Children) > 0 {
			n.Add(cmds)
		}
	}
	return collectionResult{node: n, changed: len(changes) > 0}, nil
}
