package imap

import (
	"bufio"
	"bytes"
	"errors"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-message/textproto"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

var errNotSelected = &goimap.Error{Type: goimap.StatusResponseTypeBad, Text: "No mailbox selected"}

// resolve lists the view positions numSet names (sequence numbers or UIDs), in order. A UID
// set names only messages that exist; a sequence number past the end is an error.
func (sel *selected) resolve(numSet goimap.NumSet) ([]int, error) {
	var out []int
	switch set := numSet.(type) {
	case goimap.SeqSet:
		n := uint32(len(sel.view))
		for _, r := range set {
			start, stop := r.Start, r.Stop
			if start == 0 {
				start = n
			}
			if stop == 0 {
				stop = n
			}
			if start > stop {
				start, stop = stop, start
			}
			if start == 0 || stop > n {
				return nil, &goimap.Error{Type: goimap.StatusResponseTypeBad, Text: "Invalid message sequence number"}
			}
		}
		for i := range sel.view {
			if set.Contains(uint32(i + 1)) {
				out = append(out, i)
			}
		}
	case goimap.UIDSet:
		var max goimap.UID
		if n := len(sel.view); n > 0 {
			max = goimap.UID(sel.view[n-1].uid)
		}
		for i, e := range sel.view {
			if uidSetContains(set, goimap.UID(e.uid), max) {
				out = append(out, i)
			}
		}
	}
	return out, nil
}

// uidSetContains reads "*" as the highest UID in the mailbox, so "N:*" always names at least
// the last message (RFC 3501 6.4.8).
func uidSetContains(set goimap.UIDSet, uid, max goimap.UID) bool {
	for _, r := range set {
		if inRange(r.Start, r.Stop, uid, max) {
			return true
		}
	}
	return false
}

// inRange says whether v is in start:stop, either way round, with 0 ("*") read as max.
func inRange[T ~uint32](start, stop, v, max T) bool {
	if start == 0 {
		start = max
	}
	if stop == 0 {
		stop = max
	}
	if start > stop {
		start, stop = stop, start
	}
	return v >= start && v <= stop
}

// needsContent says whether FETCH must read the messages themselves.
func needsContent(o *goimap.FetchOptions) bool {
	return o.Envelope || o.BodyStructure != nil || len(o.BodySection) > 0 || len(o.BinarySection) > 0 ||
		len(o.BinarySectionSize) > 0
}

// fetchBatch bounds how many whole messages one query reads.
const fetchBatch = 50

// Fetch answers FETCH. A body section fetched without PEEK sets \Seen (and the new flags are
// sent with the message), except in a mailbox opened with EXAMINE.
func (s *session) Fetch(w *imapserver.FetchWriter, numSet goimap.NumSet, opts *goimap.FetchOptions) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.valid(); err != nil {
		return err
	}
	sel := s.sel
	if sel == nil {
		return errNotSelected
	}
	idx, err := sel.resolve(numSet)
	if err != nil {
		return err
	}
	cmd := s.fr.command()
	if cmd.hasChanged { // CHANGEDSINCE: only the messages changed after it
		kept := idx[:0]
		for _, i := range idx {
			if imapModSeq(sel.view[i].modseq) > cmd.changedSince {
				kept = append(kept, i)
			}
		}
		idx = kept
	}
	withModSeq := cmd.fetchModSeq || cmd.hasChanged
	cond := withModSeq || s.fr.condOn()
	setSeen := false
	for _, bs := range opts.BodySection {
		if !bs.Peek {
			setSeen = !sel.readOnly
		}
	}
	for start := 0; start < len(idx); start += fetchBatch {
		part := idx[start:min(start+fetchBatch, len(idx))]
		items := map[uint64]*store.Item{}
		if needsContent(opts) {
			ids := make([]uint64, len(part))
			for j, i := range part {
				ids[j] = sel.view[i].id
			}
			got, err := s.srv.deps.Mailbox.ItemsByID(s.ctx, s.acct, ids)
			if err != nil {
				return mapErr(err)
			}
			for k := range got {
				items[got[k].ID] = &got[k]
			}
		}
		for _, i := range part {
			e := &sel.view[i]
			it := items[e.id]
			if needsContent(opts) && it == nil {
				continue // deleted meanwhile: its EXPUNGE comes with the next update
			}
			if err := s.fetchOne(w, uint32(i+1), e, it, opts, setSeen, withModSeq, cond); err != nil {
				return err
			}
		}
	}
	return nil
}

// fetchOne writes one message's FETCH response; withModSeq (MODSEQ asked for) or cond
// (CONDSTORE on) with an implicit \Seen gives it MODSEQ.
func (s *session) fetchOne(w *imapserver.FetchWriter, seq uint32, e *entry, it *store.Item, opts *goimap.FetchOptions, setSeen, withModSeq, cond bool) error {
	flagsChanged := false
	t := &s.sel.flags
	if setSeen && !e.fl.seen() {
		nf := t.stored(e.fl)
		nf.Read = true
		changed, err := s.srv.deps.Mailbox.SetAllFlags(s.ctx, s.acct, e.id, nf)
		if err != nil {
			return mapErr(err)
		}
		e.fl, e.modseq, flagsChanged = e.fl|flagSeenBit, changed.ModSeq, true
	}
	if withModSeq || cond && flagsChanged {
		s.fr.noteModSeq(seq, imapModSeq(e.modseq))
	}
	m := w.CreateMessage(seq)
	if opts.UID || cond && flagsChanged {
		m.WriteUID(goimap.UID(e.uid))
	}
	if opts.Flags || flagsChanged {
		m.WriteFlags(t.flags(e.fl))
	}
	if opts.RFC822Size {
		m.WriteRFC822Size(e.size)
	}
	if opts.InternalDate {
		m.WriteInternalDate(e.date())
	}
	if opts.Envelope {
		h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(it.MIME)))
		if err != nil {
			h = textproto.Header{}
		}
		m.WriteEnvelope(imapserver.ExtractEnvelope(h))
	}
	if opts.BodyStructure != nil {
		m.WriteBodyStructure(imapserver.ExtractBodyStructure(bytes.NewReader(it.MIME)))
	}
	for _, bs := range opts.BodySection {
		b := imapserver.ExtractBodySection(bytes.NewReader(it.MIME), bs)
		wc := m.WriteBodySection(bs, int64(len(b)))
		if _, err := wc.Write(b); err != nil {
			return err
		}
		if err := wc.Close(); err != nil {
			return err
		}
	}
	for _, bs := range opts.BinarySection {
		b := imapserver.ExtractBinarySection(bytes.NewReader(it.MIME), bs)
		wc := m.WriteBinarySection(bs, int64(len(b)))
		if _, err := wc.Write(b); err != nil {
			return err
		}
		if err := wc.Close(); err != nil {
			return err
		}
	}
	for _, bs := range opts.BinarySectionSize {
		m.WriteBinarySectionSize(bs, imapserver.ExtractBinarySectionSize(bytes.NewReader(it.MIME), bs))
	}
	return m.Close()
}

// Store answers STORE: each message's flags are written at once through the mailbox service,
// which gives it a new change number and wakes the folder's waiters (a phone's Ping).
func (s *session) Store(w *imapserver.FetchWriter, numSet goimap.NumSet, sf *goimap.StoreFlags, opts *goimap.StoreOptions) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sel, err := s.writable()
	if err != nil {
		return err
	}
	idx, err := sel.resolve(numSet)
	if err != nil {
		return err
	}
	_, byUID := numSet.(goimap.UIDSet)
	cmd := s.fr.command()
	cond := s.fr.condOn()
	var modSeqs goimap.SeqSet
	var modUIDs goimap.UIDSet
	for _, i := range idx {
		e := &sel.view[i]
		if e.gone {
			continue
		}
		nf := applyStore(sel.flags.flags(e.fl), sf)
		changed := toStored(nf) != sel.flags.stored(e.fl)
		if cmd.hasUnchanged { // RFC 7162 3.1.3: refused when changed after UNCHANGEDSINCE
			before := e.modseq
			modified, err := s.storeIf(e, nf, cmd.unchangedSince)
			if errors.Is(err, mailbox.ErrNoItem) {
				sel.markGone(i)
				continue
			} else if err != nil {
				return mapErr(err)
			}
			if modified {
				modSeqs.AddNum(uint32(i + 1))
				modUIDs.AddNum(goimap.UID(e.uid))
				continue
			}
			changed = e.modseq != before
		} else if changed {
			stored := toStored(nf)
			it, err := s.srv.deps.Mailbox.SetAllFlags(s.ctx, s.acct, e.id, stored)
			if errors.Is(err, mailbox.ErrNoItem) {
				sel.markGone(i) // deleted meanwhile: its EXPUNGE follows
				continue
			} else if err != nil {
				return mapErr(err)
			}
			e.fl, e.modseq = sel.flags.set(it.Read, it.Flagged, it.IMAPFlags), it.ModSeq
		}
		// With CONDSTORE on, a change is told with UID and MODSEQ even when .SILENT.
		if !sf.Silent || cond && changed {
			if cond {
				s.fr.noteModSeq(uint32(i+1), imapModSeq(e.modseq))
			}
			m := w.CreateMessage(uint32(i + 1))
			if byUID || cond {
				m.WriteUID(goimap.UID(e.uid))
			}
			if !sf.Silent {
				m.WriteFlags(sel.flags.flags(e.fl))
			}
			if err := m.Close(); err != nil {
				return err
			}
		}
	}
	if len(modUIDs) > 0 {
		set := modSeqs.String()
		if byUID {
			set = modUIDs.String()
		}
		s.fr.setCond(func(c *condState) { c.modified = set })
	}
	return nil
}
