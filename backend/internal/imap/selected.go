package imap

import (
	"sort"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// selected is a session's view of its selected folder: the messages in sequence order as the
// client knows them. The store is the truth, shared with EAS, LMTP, other sessions and other
// instances, so each session keeps its own view and brings it up to date from the folder's
// change sequence (items changed after seen), rather than go-imap's in-process tracker, which
// would only hear of changes made through it.
type selected struct {
	folder   store.Folder
	name     string
	readOnly bool
	view     []entry
	flags    flagTable // the view's sets of flags (flagset.go)
	seen     int64     // the folder's change sequence the view reflects
	// gone counts the view's entries marked gone (their EXPUNGE not sent yet), so that a refresh
	// looks for them only when there are some: a wake then costs what changed, not the folder.
	gone int
}

// markGone marks the view's entry at i deleted in the store, its EXPUNGE to follow.
func (sel *selected) markGone(i int) {
	if !sel.view[i].gone {
		sel.view[i].gone = true
		sel.gone++
	}
}

// at finds the entry of uid in the view, which is in UID order (SELECT reads it so, and a
// folder's new messages come with higher UIDs: the folder's row orders their transactions).
func (sel *selected) at(uid uint32) (int, bool) { return atUID(sel.view, uid) }

// atUID finds uid in a view in UID order (a session's, or the server's kept index).
func atUID(view []entry, uid uint32) (int, bool) {
	i := sort.Search(len(view), func(k int) bool { return view[k].uid >= uid })
	return i, i < len(view) && view[i].uid == uid
}

// addByUID adds new messages to a view in UID order: after it, as a folder's new messages
// come with higher UIDs; sorted in should one not (not expected, see at), as SELECT would
// show it.
func addByUID(view, added []entry) []entry {
	sort.Slice(added, func(a, b int) bool { return added[a].uid < added[b].uid })
	if n := len(view); n > 0 && added[0].uid <= view[n-1].uid {
		view = append(view, added...)
		sort.SliceStable(view, func(a, b int) bool { return view[a].uid < view[b].uid })
		return view
	}
	return append(view, added...)
}

// entry is one message of the view; gone marks one deleted in the store whose EXPUNGE the
// client has not been sent yet (it keeps its sequence number until then). It holds no pointer
// (flags by number in the view's flagTable, INTERNALDATE as seconds and offset), so a view is
// one flat block: 48 bytes a message, copied without write barriers, never scanned by the
// collector.
type entry struct {
	id     uint64
	modseq int64 // the item's change number (MODSEQ is one more: imapModSeq)
	size   int64 // RFC822.SIZE: the item's Size, the length of its MIME
	unix   int64 // INTERNALDATE, in seconds
	uid    uint32
	fl     flagSet
	zone   int32 // INTERNALDATE's offset from UTC, in seconds
	gone   bool
}

func entryOf(it *store.IndexRow, t *flagTable) entry {
	_, off := it.ReceivedAt.Zone()
	return entry{id: it.ID, uid: it.UID, fl: t.set(it.Read, it.Flagged, it.IMAPFlags), size: it.Size,
		unix: it.ReceivedAt.Unix(), zone: int32(off), modseq: it.ModSeq}
}

// date is the message's INTERNALDATE, in the offset it was stored with.
func (e *entry) date() time.Time {
	t := time.Unix(e.unix, 0)
	if e.zone == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", int(e.zone)))
}

// Select opens a mailbox.
func (s *session) Select(name string, opts *goimap.SelectOptions) (*goimap.SelectData, error) {
	s.mu.Lock()
	if sel := s.sel; s.resuming && sel != nil { // the front's replay after a held IDLE: its answer is not sent
		s.resuming = false
		s.mu.Unlock()
		return &goimap.SelectData{Flags: mailboxFlags, PermanentFlags: permFlags, NumMessages: uint32(len(sel.view)),
			UIDNext: goimap.UID(sel.folder.UIDNext), UIDValidity: sel.folder.UIDValidity, ReadOnly: sel.readOnly}, nil
	}
	s.resuming = false
	s.mu.Unlock()
	if err := s.begin(); err != nil {
		return nil, err
	}
	b, err := s.find(s.ctx, name)
	if err != nil {
		return nil, mapErr(err)
	}
	f, err := s.srv.deps.Mailbox.Folder(s.ctx, s.acct, b.folder.ID) // before the items: see refresh
	if err != nil {
		return nil, mapErr(err)
	}
	sel := &selected{folder: *f, name: b.name, readOnly: opts.ReadOnly, seen: f.LastSeq}
	if err := s.openView(sel); err != nil {
		return nil, mapErr(err)
	}
	var firstUnseen uint32
	for i := range sel.view {
		if !sel.view[i].fl.seen() {
			firstUnseen = uint32(i + 1)
			break
		}
	}
	uidNext := f.UIDNext
	if n := len(sel.view); n > 0 && sel.view[n-1].uid >= uidNext { // the view is in UID order
		uidNext = sel.view[n-1].uid + 1
	}
	s.mu.Lock()
	s.sel, s.dirty = sel, false
	s.mu.Unlock()
	s.fr.setCond(func(c *condState) { c.highest = imapModSeq(sel.seen) })
	return &goimap.SelectData{
		Flags: mailboxFlags, PermanentFlags: permFlags, NumMessages: uint32(len(sel.view)),
		FirstUnseenSeqNum: firstUnseen, UIDNext: goimap.UID(uidNext), UIDValidity: f.UIDValidity,
		ReadOnly: opts.ReadOnly,
	}, nil
}

// openView fills a new selection's view: from the server's kept index of the folder when it
// has one (foldercache.go: only the changes after it are read), else from the whole folder,
// which is then kept if it is large. The folder was read before (see refresh): every change
// up to its LastSeq was committed before the items are read, so the view reflects at least it.
func (s *session) openView(sel *selected) error {
	cache := s.srv.folders
	view, flags, seen, ok, err := cache.view(s.ctx, s.srv.deps.Mailbox, s.acct, sel.folder.ID)
	if err != nil {
		return err
	}
	if ok {
		sel.view, sel.flags, sel.seen = view, flags, max(sel.seen, seen)
		return nil
	}
	items, err := s.srv.deps.Mailbox.Index(s.ctx, s.acct, sel.folder.ID, 0)
	if err != nil {
		return err
	}
	sel.view = make([]entry, 0, len(items))
	for i := range items {
		sel.view = append(sel.view, entryOf(&items[i], &sel.flags))
		sel.seen = max(sel.seen, items[i].ModSeq)
	}
	cache.keep(s.acct, sel.folder.ID, sel.view, &sel.flags, sel.seen)
	return nil
}

// Unselect closes the mailbox (CLOSE expunges first: go-imap calls Expunge before).
func (s *session) Unselect() error {
	s.mu.Lock()
	s.sel = nil
	s.mu.Unlock()
	return nil
}

// Poll runs after each command: the credential is checked and the view brought up to date.
func (s *session) Poll(w *imapserver.UpdateWriter, allowExpunge bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.valid(); err != nil {
		return err
	}
	return s.refresh(w, allowExpunge)
}

// refresh applies the folder's changes after sel.seen to the view and tells the client:
// EXPUNGE for messages gone (only when allowed; until then they stay, marked gone), FETCH
// FLAGS for changed flags, EXISTS for new messages. Called with mu held.
func (s *session) refresh(w updates, allowExpunge bool) error {
	sel := s.sel
	if sel == nil {
		return nil
	}
	s.dirty = false
	changed, err := s.srv.deps.Mailbox.Index(s.ctx, s.acct, sel.folder.ID, sel.seen)
	if err != nil {
		return mapErr(err)
	}
	var added []entry
	cond := s.fr.condOn()
	for i := range changed {
		it := &changed[i]
		if it.ModSeq > sel.seen {
			sel.seen = it.ModSeq
		}
		i, known := sel.at(it.UID)
		switch {
		case it.Deleted && known:
			sel.markGone(i)
		case it.Deleted:
		case known:
			sel.view[i].modseq = it.ModSeq
			if fl := sel.flags.set(it.Read, it.Flagged, it.IMAPFlags); fl != sel.view[i].fl {
				sel.view[i].fl = fl
				if !sel.view[i].gone {
					if cond { // RFC 7162 3.1.4: unsolicited FETCH carries MODSEQ
						s.fr.noteModSeq(uint32(i+1), imapModSeq(it.ModSeq))
					}
					if err := w.WriteMessageFlags(uint32(i+1), goimap.UID(it.UID), sel.flags.flags(fl)); err != nil {
						return err
					}
				}
			}
		default:
			added = append(added, entryOf(it, &sel.flags))
		}
	}
	if allowExpunge && sel.gone > 0 {
		for i := len(sel.view) - 1; i >= 0; i-- {
			if sel.view[i].gone {
				if err := w.WriteExpunge(uint32(i + 1)); err != nil {
					return err
				}
				sel.view = append(sel.view[:i], sel.view[i+1:]...)
				sel.gone--
			}
		}
	}
	if len(added) > 0 {
		sel.view = addByUID(sel.view, added)
	}
	sel.flags.compact(sel.view) // after the additions: their flags are numbered in the table too
	if len(added) > 0 {
		return w.WriteNumMessages(uint32(len(sel.view)))
	}
	return nil
}

// updates are the untagged responses refresh writes: go-imap's UpdateWriter, or the front's
// while it holds an IDLE (parkWriter).
type updates interface {
	WriteExpunge(seq uint32) error
	WriteNumMessages(n uint32) error
	WriteMessageFlags(seq uint32, uid goimap.UID, flags []goimap.Flag) error
}

// Idle holds the connection and tells the client of every change at once, for an IDLE the
// front does not hold itself (idlepark.go): past MaxIdle it answers NO. It ends when the
// client sends DONE, the server closes or the credential stops being valid (the client is
// then told BYE and the connection closed).
func (s *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	srv := s.srv
	if int(srv.idle.Add(1)) > srv.opts.MaxIdle {
		srv.idle.Add(-1)
		return no(goimap.ResponseCodeLimit, "Too many IDLE sessions; poll instead")
	}
	if srv.deps.Idle != nil {
		srv.deps.Idle.Inc()
		defer srv.deps.Idle.Dec()
	}
	defer srv.idle.Add(-1)
	tick := time.NewTicker(srv.opts.IdleRecheck)
	defer tick.Stop()
	var expiry <-chan time.Time // the credential's expiry ends the IDLE when it passes
	if s.grant != nil && s.grant.Credential != nil && s.grant.Credential.ExpiresAt != nil {
		t := time.NewTimer(time.Until(*s.grant.Credential.ExpiresAt) + time.Second)
		defer t.Stop()
		expiry = t.C
	}
	if err := s.Poll(w, true); err != nil {
		return err
	}
	for {
		select {
		case <-stop:
			return nil
		case <-srv.done:
			return nil
		case <-s.ctx.Done():
			return nil
		case c := <-s.changes:
			s.mu.Lock()
			s.note(c)
			err := s.valid()
			if err == nil && s.dirty {
				err = s.refresh(w, true)
			}
			s.mu.Unlock()
			if err != nil {
				return err
			}
		case <-expiry:
			s.mu.Lock()
			s.recheck = true
			s.mu.Unlock()
			if err := s.Poll(w, true); err != nil {
				return err
			}
		case <-tick.C:
			if err := s.Poll(w, true); err != nil {
				return err
			}
		}
	}
}

// writable is the selected folder for a command that changes it (STORE, MOVE); called with mu
// held, after the session's credential is checked.
func (s *session) writable() (*selected, error) {
	if err := s.valid(); err != nil {
		return nil, err
	}
	if s.sel == nil {
		return nil, errNotSelected
	}
	if s.sel.readOnly {
		return nil, no(goimap.ResponseCodeCannot, "The mailbox is read-only (EXAMINE)")
	}
	return s.sel, nil
}
