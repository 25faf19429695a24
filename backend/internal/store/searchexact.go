package store

import (
	"bufio"
	"bytes"
	nettextproto "net/textproto"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/textproto"
)

// The index names candidates; for most queries it can also prove a match, so that the search
// need not read the message to confirm it. A posting records, per field, whether its window
// is text that folding left alone except for ASCII case (exact: "Hello", "東京", "domain7";
// not "München", whose fold "munchen" drops a mark, nor "ﬁle", "Ｆｕｌｌ", a Kelvin sign or
// "んで", whose kana drops its voicing mark). A query is provable when it is exact itself, has
// no separator and the index looks it up whole (one term, not cut). Then a posting of a window that contains the query, marked exact
// in field F, means F holds the query's characters up to ASCII case, and every predicate
// matches: SQLite's LIKE (ASCII case only), MySQL's utf8mb4_unicode_ci (more) and IMAP's
// strings.ToLower (per character). A posting without the mark proves nothing; its item is
// still a candidate and is confirmed as before. Window hashes are 64 bits, so that a window
// that shares another's hash, which would make a proof wrong, is not to be expected (about
// n²/2⁶⁵ for n distinct windows: 10⁻⁸ for 10⁶).

// SearchField is a field a search looks at, as a bit of a posting's exact mask.
type SearchField uint16

const (
	FieldSubject       SearchField = 1 << iota // items.subject (EAS)
	FieldFrom                                  // items.from_addr (EAS)
	FieldTo                                    // items.to_addr (EAS)
	FieldBodyText                              // items.body_text (EAS, IMAP BODY and TEXT)
	FieldBodyHTML                              // items.body_html (IMAP BODY and TEXT)
	FieldHeader                                // any header of the MIME, decoded as IMAP decodes it (TEXT)
	FieldSubjectHeader                         // the Subject header fields, decoded (IMAP SUBJECT)
	FieldFromHeader                            // IMAP FROM
	FieldToHeader                              // IMAP TO
	FieldCcHeader                              // IMAP CC

	// FieldsEAS are the fields of EAS Search's predicate (MailQuery's Text).
	FieldsEAS = FieldSubject | FieldFrom | FieldTo | FieldBodyText
)

// headerFields are the header fields with a bit of their own.
var headerFields = map[string]SearchField{"Subject": FieldSubjectHeader, "From": FieldFromHeader, "To": FieldToHeader, "Cc": FieldCcHeader}

// HeaderField is the bit of a header field's name (0: none, that header's words prove nothing).
func HeaderField(name string) SearchField {
	return headerFields[nettextproto.CanonicalMIMEHeaderKey(name)]
}

// asciiLower lowers ASCII letters only.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// exactWords calls add with the exact windows of text: those of a run of other script that
// folding leaves alone but for ASCII case, and the CJK pairs (or lone characters) it leaves
// alone. Each is what the text holds up to ASCII case, whatever the rest of its word.
func exactWords(text string, add func(w string)) {
	if !utf8.ValidString(text) { // what an engine stores of invalid UTF-8 may differ from Go's string
		return
	}
	exact := func(s string) bool { return fold(s) == asciiLower(s) }
	for _, o := range strings.FieldsFunc(text, isSep) {
		runs(o, func(run string, cjk bool) {
			if !cjk {
				if exact(run) {
					windowsOf(asciiLower(run), add)
				}
				return
			}
			pairs(run, func(p string) {
				if exact(p) {
					add(p)
				}
			})
		})
	}
}

// windowFields are the fields a window of an item is in (present) and those where it is exact.
type windowFields struct{ present, exact SearchField }

// itemFields returns, per window of the item, the fields it is in and those where it is exact.
// A search in some fields only needs the items whose words are present in them: a query word
// found in a field lies inside one of that field's windows (the index's promise, field by field).
func itemFields(it *Item) map[string]windowFields {
	out := map[string]windowFields{}
	mark := func(f SearchField, exact bool) func(string) {
		return func(w string) {
			v := out[w]
			if exact {
				v.exact |= f
			} else {
				v.present |= f
			}
			out[w] = v
		}
	}
	both := func(text string, f SearchField) {
		windows(fold(text), mark(f, false))
		exactWords(text, mark(f, true))
	}
	for _, c := range []struct {
		text  string
		field SearchField
	}{{it.Subject, FieldSubject}, {it.FromAddr, FieldFrom}, {it.ToAddr, FieldTo}, {it.BodyText, FieldBodyText}, {it.BodyHTML, FieldBodyHTML}} {
		both(c.text, c.field)
	}
	if len(it.MIME) > 0 {
		h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(it.MIME)))
		if err == nil {
			f := h.Fields()
			for f.Next() {
				field := FieldHeader | headerFields[f.Key()] // Key is canonical
				windows(fold(decodeHeaderWords(f.Value())), mark(field, false))
				exactWords(imapHeaderText(f.Value()), mark(field, true))
			}
		}
	}
	return out
}

// imapHeaderText is a header value as IMAP SEARCH matches it: RFC 2047 words decoded when
// they decode, else the value as it is (imap.decodeWords).
func imapHeaderText(v string) string {
	if d, ok := decodedHeader(v); ok {
		return d
	}
	return v
}

// provable returns the index term of a query that the index can prove ("" when it cannot):
// one word, exact, looked up whole.
func provable(text string) string {
	if text == "" || !utf8.ValidString(text) || strings.IndexFunc(text, isSep) >= 0 {
		return ""
	}
	f := fold(text)
	if f != asciiLower(text) {
		return ""
	}
	if t := queryTerms(text); len(t) != 1 || t[0] != f {
		return ""
	}
	return f
}
