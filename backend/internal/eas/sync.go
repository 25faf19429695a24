package eas

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Sync status codes of MS-ASCMD 2.2.3.177.16.
const (
	syncOK            = "1"
	syncConflict      = "7"
	syncInvalidKey    = "3"
	syncProtocolError = "4"
	syncConversion    = "6"
	syncNotFound      = "8"
	syncHierarchy     = "12"
	syncIncomplete    = "13"
	syncBadWait       = "14"
)

// collectionResult is one collection's part of a response; quiet ones (nothing to say, key
// unchanged) are left out.
type collectionResult struct {
	node    *wbxml.Node
	quiet   bool
	changed bool // server changes were found (ends a wait)
}

func (s *Server) sync(ctx context.Context, c *call) (*wbxml.Node, error) {
	req, err := s.parseSync(ctx, c)
	switch {
	case errors.Is(err, errProtocol):
		return wbxml.New("AirSync:Sync", wbxml.NewText("Status", syncProtocolError)), nil
	case errors.Is(err, errIncomplete):
		return wbxml.New("AirSync:Sync", wbxml.NewText("Status", syncIncomplete)), nil
	case errors.Is(err, errBadWait):
		limit := 59
		var bad *badWaitError
		if errors.As(err, &bad) {
			limit = bad.limit
		}
		return wbxml.New("AirSync:Sync", wbxml.NewText("Status", syncBadWait), wbxml.NewText("Limit", strconv.Itoa(limit))), nil
	case err != nil:
		return nil, err
	}
	results, err := s.syncAll(ctx, c, req)
	if err != nil {
		return nil, err
	}
	if req.Wait > 0 && allQuiet(results) {
		// Nothing to report: hold the request, like Ping, until something changes or Wait ends.
		if woken, accountWide := s.waitForChanges(ctx, c, req); woken {
			if accountWide && s.revoked(ctx, c) {
				return nil, errHandled
			}
			if results, err = s.syncAll(ctx, c, req); err != nil {
				return nil, err
			}
		}
	}
	if allQuiet(results) {
		return nil, nil // an empty response: the device keeps its keys (MS-ASCMD 3.2.5.1)
	}
	cols := wbxml.New("Collections")
	for _, r := range results {
		if !r.quiet {
			cols.Add(r.node)
		}
	}
	return wbxml.New("AirSync:Sync", cols), nil
}

func allQuiet(rs []collectionResult) bool {
	for _, r := range rs {
		if !r.quiet {
			return false
		}
	}
	return true
}

func (s *Server) syncAll(ctx context.Context, c *call, req *syncRequest) ([]collectionResult, error) {
	var out []collectionResult
	for _, col := range req.Collections {
		r, err := s.syncCollection(ctx, c, req, col)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func colStatus(col *syncCollection, key, status string) collectionResult {
	n := wbxml.New("Collection")
	if key != "" {
		n.Add(wbxml.NewText("SyncKey", key))
	}
	n.Add(wbxml.NewText("CollectionId", col.ID), wbxml.NewText("Status", status))
	return collectionResult{node: n}
}

// syncCollection answers one collection: client commands first, then the next window of
// server changes.
func (s *Server) syncCollection(ctx context.Context, c *call, req *syncRequest, col *syncCollection) (collectionResult, error) {
	fid, err := strconv.ParseUint(col.ID, 10, 64)
	if err != nil {
		return colStatus(col, col.SyncKey, syncHierarchy), nil
	}
	folder, err := s.mailbox.Folder(ctx, c.account.ID, fid)
	if errors.Is(err, mailbox.ErrNoFolder) {
		return colStatus(col, col.SyncKey, syncHierarchy), nil // the device must FolderSync
	} else if err != nil {
		return collectionResult{}, err
	}
	ld, err := s.states.load(ctx, c.device.ID, col.ID, col.SyncKey)
	if errors.Is(err, ErrUnknownKey) {
		return colStatus(col, "0", syncInvalidKey), nil
	} else if err != nil {
		return collectionResult{}, err
	}
	base, err := s.collStateOf(ctx, folder.ID, ld.data)
	if err != nil {
		return collectionResult{}, err
	}
	st := base.clone()
	var lost *collState // a retry: the state the lost answer left the device in
	if ld.retry {
		if lost, err = s.collStateOf(ctx, folder.ID, ld.row.State); err != nil {
			return collectionResult{}, err
		}
		// The device resends its commands: items it added then are known by ClientId, and
		// must not be created twice.
		for k, v := range lost.Clients {
			st.Clients[k] = v
		}
	}
	if ld.row == nil { // key 0: a new state and no commands (MS-ASCMD)
		st.startFilter(col.Filter, s.now())
		key, err := s.states.save(ctx, c.device.ID, col.ID, ld, st.encode())
		if err != nil {
			return collectionResult{}, err
		}
		return colStatus(col, key, syncOK), nil
	}
	responses := wbxml.New("Responses")
	if col.commands != nil {
		if err := s.applyClientCommands(ctx, c, folder, col, st, responses); err != nil {
			return collectionResult{}, err
		}
	}
	if ld.retry {
		return s.replaySync(ctx, c, folder, col, ld, base, st, lost, responses)
	}
	startSeq := st.Seq
	if col.HasFilter {
		st.Filter = col.Filter // the window moves to it (window.go)
	}
	var changes []serverChange
	more := false
	if col.GetChanges {
		window := col.Window
		if window == 0 {
			window = req.Window
		}
		if window == 0 {
			window = defaultWindow
		}
		changes, more, err = serverChanges(ctx, s.mailbox, folder.ID, st, s.now(), window)
		if err != nil {
			return collectionResult{}, err
		}
	}
	// A window that moved past items the device does not hold needs no answer: the move is
	// read again next time. A new FilterType does, so that a Sync without one keeps it.
	if len(changes) == 0 && len(responses.Children) == 0 && st.Seq == startSeq && col.commands == nil && st.Filter == base.Filter {
		return collectionResult{quiet: true}, nil
	}
	for _, ch := range changes {
		st.Sent = append(st.Sent, sentChange{Op: ch.Op, ID: ch.Item.ID})
	}
	st.More = more
	key, err := s.states.save(ctx, c.device.ID, col.ID, ld, st.encode())
	if err != nil {
		return collectionResult{}, err
	}
	return s.collectionNode(ctx, c, col, key, responses, more, changes)
}

// applyClientCommands carries out the device's Change, Delete, Add and Fetch of a collection.
// Successful changes need no response; failures and fetches get one.
func (s *Server) applyClientCommands(ctx context.Context, c *call, folder *store.Folder, col *syncCollection, st *collState, responses *wbxml.Node) error {
	for _, cmd := range col.commands.Children {
		sid := cmd.TextOf("ServerId")
		itemID, _ := strconv.ParseUint(sid, 10, 64)
		switch cmd.Local() {
		case "Change":
			if err := s.clientChange(ctx, c, folder, col, cmd, sid, itemID, st, responses); err != nil {
				return err
			}
		case "Delete":
			it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
			if errors.Is(err, mailbox.ErrNoItem) || (err == nil && it.FolderID != folder.ID) {
				// Already gone: nothing to tell the device, so its tombstone (if the engine
				// has not passed it yet) must not bring a Delete.
				gone, err := s.mailbox.ItemMark(ctx, folder.ID, itemID)
				if err == nil {
					st.deviceDropped(gone)
				} else if !errors.Is(err, mailbox.ErrNoItem) {
					return err
				}
				continue
			} else if err != nil {
				return err
			}
			st.deviceDropped(it)
			// Only mail goes to Deleted Items; a deleted contact or event is gone.
			if err := s.deleteItem(ctx, c, folder, it, col.DeletesAsMoves && folder.Class == mailbox.ClassEmail); err != nil {
				return err
			}
		case "Add":
			add := s.clientAdd
			if draftsSync(c, folder) {
				add = s.draftAdd // draft.go
			}
			if err := add(ctx, c, folder, cmd, st, responses); err != nil {
				return err
			}
		case "Fetch":
			it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
			if errors.Is(err, mailbox.ErrNoItem) || (err == nil && it.FolderID != folder.ID) {
				responses.Add(wbxml.New("Fetch", wbxml.NewText("ServerId", sid), wbxml.NewText("Status", syncNotFound)))
				continue
			} else if err != nil {
				return err
			}
			data, err := applicationData(it, col.Body, c.req.ProtocolVersion)
			if err != nil {
				return err
			}
			responses.Add(wbxml.New("Fetch", wbxml.NewText("ServerId", sid), wbxml.NewText("Status", syncOK),
				wbxml.New("ApplicationData", data...)))
		}
	}
	return nil
}

// deleteItem moves to Deleted Items (DeletesAsMoves, the default) or deletes for good; in
// Deleted Items itself a delete is final.
func (s *Server) deleteItem(ctx context.Context, c *call, folder *store.Folder, it *store.Item, asMove bool) error {
	if asMove && folder.Type != mailbox.TypeDeletedItems {
		trash, err := s.mailbox.FolderByType(ctx, c.account.ID, mailbox.TypeDeletedItems)
		if err != nil {
			return err
		}
		_, err = s.mailbox.Move(ctx, c.account.ID, it.ID, trash.ID)
		return err
	}
	return s.mailbox.Delete(ctx, c.account.ID, it.ID)
}

func readFlags(ad *wbxml.Node) (read, flagged *bool) {
	if ad == nil {
		return nil, nil
	}
	if v := ad.Child("Email:Read"); v != nil {
		b := v.Value() == "1"
		read = &b
	}
	if f := ad.Child("Email:Flag"); f != nil {
		b := f.TextOf("Email:Status") == "2"
		flagged = &b
	}
	return read, flagged
}

// waitForChanges holds a Sync with Wait or HeartbeatInterval until a change in one of its
// folders, or the time is up; it reports whether to look again, and whether the change was
// account-wide (a credential, device or the account itself), after which the request's
// authentication is re-checked, as Ping does.
func (s *Server) waitForChanges(ctx context.Context, c *call, req *syncRequest) (woken, accountWide bool) {
	watched := map[uint64]bool{}
	for _, col := range req.Collections {
		if fid, err := strconv.ParseUint(col.ID, 10, 64); err == nil {
			watched[fid] = true
		}
	}
	ch, stop := s.mailbox.Notifier().Subscribe(c.account.ID)
	defer stop()
	timer := time.NewTimer(time.Duration(req.Wait) * time.Second)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, false
		case <-timer.C:
			return false, false
		case change := <-ch:
			if change.FolderID == 0 || watched[change.FolderID] {
				return true, change.FolderID == 0
			}
		}
	}
}

// clientChange applies a device's Change: read and flag for mail, the whole item for the
// other classes (16.x calendar changes leave out what did not change).
func (s *Server) clientChange(ctx context.Context, c *call, folder *store.Folder, col *syncCollection, cmd *wbxml.Node, sid string, itemID uint64, st *collState, responses *wbxml.Node) error {
	notFound := func() {
		responses.Add(wbxml.New("Change", wbxml.NewText("ServerId", sid), wbxml.NewText("Status", syncNotFound)))
	}
	if folder.Class == mailbox.ClassEmail && draftsSync(c, folder) && draftFields(cmd) {
		return s.draftChange(ctx, c, folder, cmd, sid, itemID, responses) // draft.go
	}
	if folder.Class == mailbox.ClassEmail {
		read, flagged := readFlags(cmd.Child("ApplicationData"))
		it, err := s.mailbox.SetFlags(ctx, c.account.ID, itemID, read, flagged)
		if errors.Is(err, mailbox.ErrNoItem) || (err == nil && it.FolderID != folder.ID) {
			notFound()
			return nil
		} else if err != nil {
			return err
		}
		st.Echo[it.ID] = it.ModSeq
		return nil
	}
	it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
	if errors.Is(err, mailbox.ErrNoItem) || (err == nil && it.FolderID != folder.ID) {
		notFound()
		return nil
	} else if err != nil {
		return err
	}
	if it.ModSeq > st.Seq && st.Echo[it.ID] != it.ModSeq && !col.ClientWins {
		// Changed on the server since the device last synced: the server's version wins and
		// reaches the device with this response's server changes.
		responses.Add(wbxml.New("Change", wbxml.NewText("ServerId", sid), wbxml.NewText("Status", syncConflict)))
		return nil
	}
	props, summary, err := pimClasses[folder.Class].decode(mergeChange(it, cmd.Child("ApplicationData"), c.req.ProtocolVersion))
	if err != nil {
		status := syncConversion
		if s.looping(ctx, c, col.ID, "Change", sid) {
			// A loop (loop.go): the change is skipped and acknowledged, so the device drops it.
			status = syncOK
		}
		responses.Add(wbxml.New("Change", wbxml.NewText("ServerId", sid), wbxml.NewText("Status", status)))
		return nil
	}
	upd, err := s.mailbox.UpdatePIM(ctx, c.account.ID, itemID, summary, keepForeign(it.Props, props))
	if err != nil {
		return err
	}
	s.loops.succeeded(loopKey{device: c.device.ID, collection: col.ID, op: "Change", item: sid})
	st.Echo[upd.ID] = upd.ModSeq
	return nil
}

// clientAdd creates a contact, event, task or note the device made and answers its ClientId
// with the new ServerId. A retried Add (same ClientId) gets the same ServerId, not a copy.
func (s *Server) clientAdd(ctx context.Context, c *call, folder *store.Folder, cmd *wbxml.Node, st *collState, responses *wbxml.Node) error {
	clientID := cmd.TextOf("ClientId")
	reply := func(serverID, status string) {
		r := wbxml.New("Add", wbxml.NewText("ClientId", clientID))
		if serverID != "" {
			r.Add(wbxml.NewText("ServerId", serverID))
		}
		responses.Add(r.Add(wbxml.NewText("Status", status)))
	}
	class, ok := pimClasses[folder.Class]
	if !ok || clientID == "" {
		reply("", syncConversion) // mail is not created by Sync
		return nil
	}
	if prev, seen := st.Clients[clientID]; seen {
		reply(id(prev), syncOK)
		return nil
	}
	loop := loopKey{device: c.device.ID, collection: id(folder.ID), op: "Add", item: clientID}
	props, summary, err := class.decode(cmd.Child("ApplicationData"))
	if err != nil {
		// Counted for loop detection (loop.go), which records a loop; the answer stays Status 6.
		s.loopingWith(ctx, c, loop.collection, loop.op, loop.item, err.Error())
		reply("", syncConversion)
		return nil
	}
	it, err := s.mailbox.AddPIM(ctx, c.account.ID, folder.ID, folder.Class, summary, props)
	if err != nil {
		return err
	}
	s.loops.succeeded(loop)
	st.deviceAdded(it)
	st.Echo[it.ID] = it.ModSeq
	st.Clients[clientID] = it.ID
	reply(id(it.ID), syncOK)
	return nil
}
