package imap

import (
	"errors"
	"strconv"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// imapModSeq is a message's or folder's MODSEQ (RFC 7162): the store's change number plus
// one, so that a folder no item ever entered (change number 0) still has a positive
// HIGHESTMODSEQ below every change to come.
func imapModSeq(storeSeq int64) int64 { return storeSeq + 1 }

// What the session asks of and tells its front (each under the front's mu, never while the
// front waits on the session).

func (f *front) command() command {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur
}

func (f *front) condOn() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cond.enabled
}

// noteModSeq has the next FETCH response for seq carry MODSEQ v.
func (f *front) noteModSeq(seq uint32, v int64) {
	f.mu.Lock()
	if f.cond.fetchMod == nil {
		f.cond.fetchMod = map[uint32]int64{}
	}
	f.cond.fetchMod[seq] = v
	f.mu.Unlock()
}

func (f *front) setCond(fn func(c *condState)) {
	f.mu.Lock()
	fn(&f.cond)
	f.mu.Unlock()
}

// frontOf is the front a go-imap Conn reads through.
func frontOf(c *imapserver.Conn) *front {
	fr, _ := c.NetConn().(*front)
	if fr == nil { // not served through Serve: CONDSTORE stays off
		fr = &front{cond: condState{fetchMod: map[uint32]int64{}}}
	}
	return fr
}

// storeIf runs a conditional STORE (UNCHANGEDSINCE) on one message: it is refused when its
// MODSEQ is above since, as the session saw it or as the store has it. modified says so.
func (s *session) storeIf(e *entry, nf []goimap.Flag, since int64) (modified bool, err error) {
	if imapModSeq(e.modseq) > since {
		return true, nil
	}
	t := &s.sel.flags
	if toStored(nf) == t.stored(e.fl) {
		return false, nil
	}
	it, err := s.srv.deps.Mailbox.SetAllFlagsIfBelow(s.ctx, s.acct, e.id, toStored(nf), since)
	switch {
	case errors.Is(err, mailbox.ErrModified):
		return true, nil
	case err != nil:
		return false, err
	}
	e.fl, e.modseq = t.set(it.Read, it.Flagged, it.IMAPFlags), it.ModSeq
	return false, nil
}

// modSeqCriteria takes the MODSEQ keys (the front's HEADER ":modseq" "n") out of a search
// criteria tree and checks them on a message.
func isModSeqKey(h goimap.SearchCriteriaHeaderField) bool {
	return strings.EqualFold(h.Key, modSeqKey)
}

// matchModSeq checks the MODSEQ keys of c on e (RFC 7162 3.1.5: MODSEQ n finds messages whose
// MODSEQ is n or more).
func matchModSeq(c *goimap.SearchCriteria, e *entry) bool {
	for _, h := range c.Header {
		if !isModSeqKey(h) {
			continue
		}
		n, err := strconv.ParseInt(h.Value, 10, 64)
		if err != nil || imapModSeq(e.modseq) < n {
			return false
		}
	}
	return true
}
