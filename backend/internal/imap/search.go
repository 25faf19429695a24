package imap

import (
	"bufio"
	"bytes"
	"strings"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Search answers SEARCH and UID SEARCH. Flags, sizes, dates and numbers are matched on what
// the session and the item rows hold; header and text keys read the messages (in batches).
func (s *session) Search(kind imapserver.NumKind, c *goimap.SearchCriteria, _ *goimap.SearchOptions) (*goimap.SearchData, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.valid(); err != nil {
		return nil, err
	}
	sel := s.sel
	if sel == nil {
		return nil, errNotSelected
	}
	content, mime := searchNeedsContent(c), searchNeedsHeader(c)
	var high int64
	cands, sure, narrowed, err := s.searchCandidates(c)
	if err != nil {
		return nil, mapErr(err)
	}
	// A message the index proves to meet every text key is tested on the other keys only,
	// without reading it; when those need the content too, nothing is proven.
	rest := withoutTextKeys(c)
	if searchNeedsContent(rest) {
		sure = nil
	}
	var seqs goimap.SeqSet
	var uids goimap.UIDSet
	for start := 0; start < len(sel.view); start += fetchBatch {
		end := min(start+fetchBatch, len(sel.view))
		items := map[uint64]*store.Item{}
		if content {
			ids := make([]uint64, 0, end-start)
			for i := start; i < end; i++ {
				if id := sel.view[i].id; (!narrowed || cands[id]) && !sure[id] {
					ids = append(ids, id)
				}
			}
			got, err := s.srv.deps.Mailbox.SearchItemsByID(s.ctx, s.acct, ids, mime)
			if err != nil {
				return nil, mapErr(err)
			}
			for k := range got {
				items[got[k].ID] = &got[k]
			}
		}
		for i := start; i < end; i++ {
			e := &sel.view[i]
			m := &msg{seq: uint32(i + 1), e: e, fl: sel.flags.flags(e.fl), it: items[e.id], max: sel.max(), n: uint32(len(sel.view))}
			if narrowed && !cands[e.id] || e.gone {
				continue
			}
			if sure[e.id] {
				if !m.match(rest) {
					continue
				}
			} else if content && m.it == nil || !m.match(c) {
				continue
			}
			seqs.AddNum(m.seq)
			uids.AddNum(goimap.UID(e.uid))
			high = max(high, imapModSeq(e.modseq))
		}
	}
	if s.fr.command().searchModSeq { // RFC 7162 3.1.5: the highest MODSEQ found, after the numbers
		s.fr.setCond(func(c *condState) { c.searchHigh = high })
	}
	d := &goimap.SearchData{}
	if kind == imapserver.NumKindUID {
		d.All = uids
	} else {
		d.All = seqs
	}
	return d, nil
}

func (sel *selected) max() goimap.UID {
	if n := len(sel.view); n > 0 {
		return goimap.UID(sel.view[n-1].uid)
	}
	return 0
}

func searchNeedsContent(c *goimap.SearchCriteria) bool {
	for _, h := range c.Header {
		if !isModSeqKey(h) {
			return true
		}
	}
	if len(c.Body) > 0 || len(c.Text) > 0 || !c.SentSince.IsZero() || !c.SentBefore.IsZero() {
		return true
	}
	for i := range c.Not {
		if searchNeedsContent(&c.Not[i]) {
			return true
		}
	}
	for _, o := range c.Or {
		if searchNeedsContent(&o[0]) || searchNeedsContent(&o[1]) {
			return true
		}
	}
	return false
}

// msg is one message under a search; the header is parsed once, when a key needs it.
type msg struct {
	seq  uint32
	e    *entry
	fl   []goimap.Flag // e's flags
	it   *store.Item
	max  goimap.UID
	n    uint32
	hdr  *textproto.Header
	body string
}

func (m *msg) header() *textproto.Header {
	if m.hdr == nil {
		h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(m.it.MIME)))
		if err != nil {
			h = textproto.Header{}
		}
		m.hdr = &h
	}
	return m.hdr
}

func contains(hay, needle string) bool {
	return strings.Contains(strings.ToLower(hay), strings.ToLower(needle))
}

func dateOnly(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

func (m *msg) match(c *goimap.SearchCriteria) bool {
	for _, set := range c.SeqNum {
		if !seqSetContains(set, m.seq, m.n) {
			return false
		}
	}
	for _, set := range c.UID {
		if !uidSetContains(set, goimap.UID(m.e.uid), m.max) {
			return false
		}
	}
	for _, f := range c.Flag {
		if !hasFlag(m.fl, f) {
			return false
		}
	}
	for _, f := range c.NotFlag {
		if hasFlag(m.fl, f) {
			return false
		}
	}
	if !matchModSeq(c, m.e) {
		return false
	}
	if c.Larger > 0 && m.e.size <= c.Larger || c.Smaller > 0 && m.e.size >= c.Smaller {
		return false
	}
	internal := dateOnly(m.e.date())
	if !c.Since.IsZero() && internal.Before(dateOnly(c.Since)) || !c.Before.IsZero() && !internal.Before(dateOnly(c.Before)) {
		return false
	}
	if m.it != nil && !m.matchContent(c) {
		return false
	}
	for i := range c.Not {
		if m.match(&c.Not[i]) {
			return false
		}
	}
	for _, o := range c.Or {
		if !m.match(&o[0]) && !m.match(&o[1]) {
			return false
		}
	}
	return true
}

func (m *msg) matchContent(c *goimap.SearchCriteria) bool {
	it := m.it
	if !c.SentSince.IsZero() || !c.SentBefore.IsZero() {
		mh := mail.Header{Header: message.Header{Header: *m.header()}}
		sent, err := mh.Date()
		if err != nil {
			sent = it.ReceivedAt
		}
		sent = dateOnly(sent)
		if !c.SentSince.IsZero() && sent.Before(dateOnly(c.SentSince)) || !c.SentBefore.IsZero() && !sent.Before(dateOnly(c.SentBefore)) {
			return false
		}
	}
	for _, h := range c.Header {
		if isModSeqKey(h) {
			continue
		}
		vals := m.header().Values(h.Key)
		if len(vals) == 0 {
			return false
		}
		ok := false
		for _, v := range vals {
			if contains(decodeWords(v), h.Value) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	for _, b := range c.Body {
		if !contains(it.BodyText, b) && !contains(it.BodyHTML, b) {
			return false
		}
	}
	for _, t := range c.Text {
		if !contains(it.BodyText, t) && !contains(it.BodyHTML, t) && !m.headerContains(t) {
			return false
		}
	}
	return true
}

func (m *msg) headerContains(s string) bool {
	f := m.header().Fields()
	for f.Next() {
		if contains(decodeWords(f.Value()), s) {
			return true
		}
	}
	return false
}

// decodeWords decodes RFC 2047 encoded words so that a search for "Café" finds
// "=?utf-8?q?Caf=C3=A9?=".
func decodeWords(v string) string {
	h := mail.Header{}
	h.Set("X", v)
	if d, err := h.Text("X"); err == nil {
		return d
	}
	return v
}

func seqSetContains(set goimap.SeqSet, seq, n uint32) bool {
	for _, r := range set {
		if inRange(r.Start, r.Stop, seq, n) {
			return true
		}
	}
	return false
}
