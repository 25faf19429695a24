package imap

import (
	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// textKey is a text key every match must meet (BODY, TEXT, HEADER with a value, at the top of
// the criteria), the fields it looks at and whether their exact words prove it (not for a
// header without a field of its own in the index: any header's words would not).
type textKey struct {
	text   string
	fields store.SearchField
	proves bool
}

func textKeys(c *goimap.SearchCriteria) []textKey {
	var out []textKey
	for _, b := range c.Body {
		out = append(out, textKey{b, store.FieldBodyText | store.FieldBodyHTML, true})
	}
	for _, t := range c.Text {
		out = append(out, textKey{t, store.FieldBodyText | store.FieldBodyHTML | store.FieldHeader, true})
	}
	for _, h := range c.Header {
		if !isModSeqKey(h) { // CONDSTORE's MODSEQ key, not a header: the index knows nothing of it
			if f := store.HeaderField(h.Key); f != 0 {
				out = append(out, textKey{h.Value, f, true})
			} else {
				out = append(out, textKey{h.Value, store.FieldHeader, false})
			}
		}
	}
	return out
}

// withoutTextKeys is c without its top-level text keys (textKeys).
func withoutTextKeys(c *goimap.SearchCriteria) *goimap.SearchCriteria {
	rest := *c
	rest.Body, rest.Text, rest.Header = nil, nil, nil
	for _, h := range c.Header {
		if isModSeqKey(h) {
			rest.Header = append(rest.Header, h)
		}
	}
	return &rest
}

// searchCandidates asks the search index which messages can match the text keys; the others
// cannot match and are neither read nor tested. sure are the messages that certainly meet
// every text key. narrowed is false when no such key has a word to look up.
func (s *session) searchCandidates(c *goimap.SearchCriteria) (cands, sure map[uint64]bool, narrowed bool, err error) {
	keys := textKeys(c)
	for i, k := range keys {
		ids, proven, ok, err := s.srv.deps.Mailbox.SearchCandidates(s.ctx, s.acct, s.sel.folder.ID, k.text, k.fields)
		if err != nil {
			return nil, nil, false, err
		}
		if !ok {
			sure = map[uint64]bool{} // a key without a word proves nothing
			continue
		}
		if !k.proves {
			proven = nil
		}
		if i == 0 {
			sure = proven
		} else {
			for id := range sure {
				if !proven[id] {
					delete(sure, id)
				}
			}
		}
		if narrowed {
			for id := range cands {
				if !ids[id] {
					delete(cands, id)
				}
			}
		} else {
			cands, narrowed = ids, true
		}
	}
	return cands, sure, narrowed, nil
}

// searchNeedsHeader: whether a key of c reads the message's header (a header key, TEXT or a
// sent date); the others read the bodies only.
func searchNeedsHeader(c *goimap.SearchCriteria) bool {
	for _, h := range c.Header {
		if !isModSeqKey(h) {
			return true
		}
	}
	if len(c.Text) > 0 || !c.SentSince.IsZero() || !c.SentBefore.IsZero() {
		return true
	}
	for i := range c.Not {
		if searchNeedsHeader(&c.Not[i]) {
			return true
		}
	}
	for _, o := range c.Or {
		if searchNeedsHeader(&o[0]) || searchNeedsHeader(&o[1]) {
			return true
		}
	}
	return false
}
