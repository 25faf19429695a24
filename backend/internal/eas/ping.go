package eas

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/reqid"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Ping status codes of MS-ASCMD 2.2.3.177.10.
const (
	pingExpired        = "1"
	pingChanges        = "2"
	pingMissing        = "3"
	pingSyntax         = "4"
	pingBadHeartbeat   = "5"
	pingTooManyFolders = "6"
	pingHierarchy      = "7"
)

// lastPingCollection keeps a device's last Ping parameters for empty Pings.
const lastPingCollection = "_ping"

type pingParams struct {
	Heartbeat int      `json:"h"`
	Folders   []string `json:"f"`
}

// ping holds the request until an item in a watched folder is added or changed (Status 2 with
// those folders), the heartbeat ends (Status 1), or the hierarchy changes (Status 7). It waits
// on the change notifier, never polls; a newer Ping of the device ends this one.
func (s *Server) ping(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("Ping:Ping")
	bounds, err := s.heartbeatBounds(ctx)
	if err != nil {
		return nil, err
	}
	p, status, err := s.pingParams(ctx, c, bounds)
	if err != nil {
		return nil, err
	}
	if status != "" {
		resp.Add(wbxml.NewText("Status", status))
		switch status {
		case pingBadHeartbeat:
			limit := bounds.min
			if time.Duration(p.Heartbeat)*time.Second > bounds.max {
				limit = bounds.max
			}
			resp.Add(wbxml.NewText("HeartbeatInterval", strconv.Itoa(int(limit/time.Second))))
		case pingTooManyFolders:
			resp.Add(wbxml.NewText("MaxFolders", strconv.Itoa(s.opts.MaxFolders)))
		}
		return resp, nil
	}
	// A parkable Ping waits detached from its request (pingpark.go): its context ends when the
	// phone hangs up, not when the handler returns.
	base, hangUp := ctx, context.CancelFunc(func() {})
	parkable := s.home.Load() != nil
	if parkable { // only the request id is kept of the request's context: its chain is not
		base, hangUp = context.WithCancel(reqid.With(context.Background(), reqid.From(ctx)))
	}
	w := &pingWait{s: s, c: c, resp: resp, watched: map[uint64]string{}, heartbeat: time.Duration(p.Heartbeat) * time.Second}
	for _, f := range p.Folders {
		fid, _ := strconv.ParseUint(f, 10, 64)
		w.watched[fid] = f
	}
	// Subscribe before the first look, so a change between the look and the wait is not lost.
	changes, stop := s.mailbox.Notifier().Subscribe(c.account.ID)
	held, superseded, release, ok := s.pings.hold(base, id(c.account.ID)+"/"+c.device.DeviceID)
	if !ok {
		stop()
		hangUp()
		c.w.Header().Set("Retry-After", "60")
		http.Error(c.w, "too many held connections", http.StatusServiceUnavailable)
		return nil, errHandled
	}
	w.changes, w.unsubscribe, w.held, w.superseded = changes, stop, held, superseded
	w.done = func() { release(); stop(); hangUp() }
	if changed, st, err := w.check(base, 0); err != nil || st != "" || len(changed) > 0 {
		w.done()
		return w.answer(changed, st), err
	}
	if parkable && s.park(ctx, base, hangUp, w) {
		return nil, errHandled
	}
	defer w.done()
	return w.wait(base)
}

// pingWait is what a held Ping keeps while it waits: the call (without its request), the
// watched folders, its subscription and its place in the registry.
type pingWait struct {
	s           *Server
	c           *call
	resp        *wbxml.Node
	watched     map[uint64]string
	heartbeat   time.Duration
	changes     <-chan mailbox.Change
	unsubscribe func()
	held        context.Context
	superseded  func() bool
	done        func() // leaves the registry and the notifier
}

// check looks at the watched folders (only one, when only != 0) and the hierarchy. It reads the
// device's states of the hierarchy and of those folders in one statement and the folder tree
// from the mailbox's cache (dropped on every hierarchy change), so a wake costs that read and
// the folder's changes: the round trips are what a held Ping's wake waits for.
func (w *pingWait) check(ctx context.Context, only uint64) ([]string, string, error) {
	s, c := w.s, w.c
	ids := []string{HierarchyCollection}
	for fid, name := range w.watched {
		if only == 0 || fid == only {
			ids = append(ids, name)
		}
	}
	rows, err := s.states.store.SyncStatesOf(ctx, c.device.ID, ids)
	if err != nil {
		return nil, "", err
	}
	tree, err := s.mailbox.FolderTree(ctx, c.account.ID)
	if err != nil {
		return nil, "", err
	}
	if hierarchyStale(rows[HierarchyCollection], visibleOf(c, tree)) {
		return nil, pingHierarchy, nil
	}
	var changed []string
	for fid, name := range w.watched {
		if only != 0 && fid != only {
			continue
		}
		if !slices.ContainsFunc(tree, func(f store.Folder) bool { return f.ID == fid }) {
			return nil, pingHierarchy, nil // the watched folder was deleted
		}
		has, err := s.folderHasChanges(ctx, fid, rows[name])
		if err != nil {
			return nil, "", err
		}
		if has {
			changed = append(changed, name)
		}
	}
	return changed, "", nil
}

func (w *pingWait) answer(changed []string, status string) *wbxml.Node {
	if status != "" {
		return w.resp.Add(wbxml.NewText("Status", status))
	}
	folders := wbxml.New("Folders")
	for _, f := range changed {
		folders.Add(wbxml.NewText("Folder", f))
	}
	return w.resp.Add(wbxml.NewText("Status", pingChanges), folders)
}

// wait blocks until the Ping has its answer; ctx ends when the phone hangs up.
func (w *pingWait) wait(ctx context.Context) (*wbxml.Node, error) {
	timer := time.NewTimer(w.heartbeat)
	defer timer.Stop()
	expiry, stopExpiry := credentialExpiry(w.c)
	defer stopExpiry()
	for {
		select {
		case <-timer.C:
			return w.resp.Add(wbxml.NewText("Status", pingExpired)), nil
		case <-expiry: // the credential expired while held: 401, as for a deleted one
			if w.s.revoked(ctx, w.c) {
				return nil, errHandled
			}
		case <-w.held.Done():
			if ctx.Err() != nil {
				return nil, ctx.Err() // the phone hung up
			}
			_ = w.superseded() // a newer Ping or shutdown: answer "no changes" so the device pings again
			return w.resp.Add(wbxml.NewText("Status", pingExpired)), nil
		case ch := <-w.changes:
			if _, ok := w.watched[ch.FolderID]; !ok && ch.FolderID != 0 {
				continue
			}
			if ch.FolderID == 0 && w.s.revoked(ctx, w.c) {
				return nil, errHandled
			}
			changed, st, err := w.check(ctx, ch.FolderID)
			if err != nil || st != "" || len(changed) > 0 {
				return w.answer(changed, st), err
			}
		}
	}
}

// errHandled: the handler already wrote the response.
var errHandled = errors.New("response already written")

// pingParams reads HeartbeatInterval and Folders, or the last Ping's when they are left out.
func (s *Server) pingParams(ctx context.Context, c *call, bounds heartbeat) (*pingParams, string, error) {
	var last pingParams
	if row, err := s.states.store.SyncStateOf(ctx, c.device.ID, lastPingCollection); err == nil {
		_ = json.Unmarshal(row.State, &last)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, "", err
	}
	p := last
	if c.body != nil {
		if c.body.Name != "Ping:Ping" {
			return &p, pingSyntax, nil
		}
		if h := c.body.TextOf("HeartbeatInterval"); h != "" {
			n, err := strconv.Atoi(h)
			if err != nil {
				return &p, pingSyntax, nil
			}
			p.Heartbeat = n
		}
		if fs := c.body.Child("Folders"); fs != nil {
			p.Folders = nil
			for _, f := range fs.All("Folder") {
				p.Folders = append(p.Folders, f.TextOf("Id"))
			}
		}
	}
	if p.Heartbeat == 0 || len(p.Folders) == 0 {
		return &p, pingMissing, nil
	}
	if hb := time.Duration(p.Heartbeat) * time.Second; hb < bounds.min || hb > bounds.max {
		return &p, pingBadHeartbeat, nil
	}
	if len(p.Folders) > s.opts.MaxFolders {
		return &p, pingTooManyFolders, nil
	}
	if p.Heartbeat != last.Heartbeat || !sameFolders(p.Folders, last.Folders) {
		data, _ := json.Marshal(p)
		if err := s.states.store.SaveSyncState(ctx, &store.SyncState{DeviceID: c.device.ID, CollectionID: lastPingCollection, SyncKey: "-", State: data}); err != nil {
			return nil, "", err
		}
	}
	return &p, "", nil
}

func sameFolders(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// hierarchyStale: the device was removed or reset (it has no hierarchy state), or the folders
// changed since its last FolderSync, so it must FolderSync (Status 7).
func hierarchyStale(row *store.SyncState, folders []store.Folder) bool {
	if row == nil {
		return true
	}
	var h hierarchyState
	if err := json.Unmarshal(row.State, &h); err != nil {
		return true
	}
	if len(folders) != len(h.Folders) {
		return true
	}
	for _, f := range folders {
		if snap, ok := h.Folders[f.ID]; !ok || snap != (folderSnap{Parent: f.ParentID, Name: f.DisplayName, Type: f.Type}) {
			return true
		}
	}
	return false
}

// folderHasChanges runs the Sync engine on a copy of the device's state of the folder (row;
// nil when it never synced it: nothing to compare with). Only a change the next Sync would
// really send counts, so a Ping never wakes for nothing.
func (s *Server) folderHasChanges(ctx context.Context, fid uint64, row *store.SyncState) (bool, error) {
	if row == nil {
		return false, nil
	}
	st, err := s.collStateOf(ctx, fid, row.State)
	if err != nil {
		return false, err
	}
	changes, _, err := nextWindow(ctx, changeMarks{s.mailbox}, fid, st.clone(), 1, filterCutoff(st.Filter, s.now()))
	return len(changes) > 0, err
}

// changeMarks is the folder's changes without their content: a Ping only asks whether a Sync
// would find one, so it reads neither bodies nor MIME (which were inflated for every check).
type changeMarks struct{ mb *mailbox.Service }

func (c changeMarks) Changes(ctx context.Context, folderID uint64, seq int64, limit int) ([]store.Item, error) {
	return c.mb.ChangeMarks(ctx, folderID, seq, limit)
}

// credentialExpiry fires a moment after the expiry of the credential that let the request in
// (never when it has none), so that a held Ping ends with its credential instead of at its
// heartbeat.
func credentialExpiry(c *call) (<-chan time.Time, func()) {
	if c.grant == nil || c.grant.Credential == nil || c.grant.Credential.ExpiresAt == nil {
		return nil, func() {}
	}
	t := time.NewTimer(time.Until(*c.grant.Credential.ExpiresAt) + time.Second)
	return t.C, func() { t.Stop() }
}
