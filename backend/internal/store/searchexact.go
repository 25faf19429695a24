package store

import (
	"bufio"
	"bytes"
	nettextproto "net/textproto"
	"strings"
	"unicode"
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

// exactWords calls add with the windows of text as it is but for ASCII case (asciiLower): the
// windows of each run of other script, the pairs and triples of each CJK run, and each token
// with punctuation inside ("domain7.example", "e-mail", "2026-12-06"; see tokens). Each is what
// the text holds up to ASCII case, whatever folding would make of it: "München" is kept as
// "münchen" beside the folded "munchen" the candidates are found by.
func exactWords(text string, add func(w string)) {
	if !utf8.ValidString(text) { // what an engine stores of invalid UTF-8 may differ from Go's string
		return
	}
	exactRuns(text, add)
	tokens(text, add)
}

// exactRuns is exactWords without the tokens: for the headers without a field of their own
// (Message-ID, Received, DKIM-Signature: unique tokens nobody searches for, which would only
// grow the index's vocabulary).
func exactRuns(text string, add func(w string)) {
	if !utf8.ValidString(text) {
		return
	}
	for _, o := range strings.FieldsFunc(text, isSep) {
		runs(o, func(run string, cjk bool) {
			if !cjk {
				windowsOf(asciiLower(run), add)
				return
			}
			pairs(run, add)
			triples(run, add)
		})
	}
}

// triples calls add with each run of three neighbouring characters of a CJK run: a query of
// three CJK characters ("議事録") is then proven, not only looked up as two pairs.
func triples(run string, add func(string)) {
	r := []rune(run)
	for i := 0; i+2 < len(r); i++ {
		add(string(r[i : i+3]))
	}
}

// maxToken is the longest token (in runes) kept whole by tokens: addresses, host names, dates and
// version numbers fit; long URLs and base64, which nobody types into a search, do not.
const maxToken = 64

// tokens calls add with the windows of each whitespace-separated piece of text that has ASCII
// punctuation inside, without the punctuation at its ends ("<bob@example.net>," gives
// "bob@example.net"), lowered in ASCII only; pieces with CJK characters are left out. A query
// without spaces that starts and ends with a word character and holds punctuation lies inside
// one such piece.
func tokens(text string, add func(string)) {
	for _, f := range strings.FieldsFunc(text, unicode.IsSpace) {
		t := strings.TrimFunc(f, isSep)
		if strings.IndexFunc(t, isSep) < 0 || strings.IndexFunc(t, isCJK) >= 0 || utf8.RuneCountInString(t) > maxToken {
			continue
		}
		windowsOf(asciiLower(t), add)
	}
}

// windowFields are the fields a window of an item is in (present) and those where it is exact.
type windowFields struct{ present, exact SearchField }

// itemIndex returns the windows of everything either search looks at, each with the fields it is
// in and those where it is exact: the columns EAS searches, the HTML body, the Cc column (a
// window of no field: its postings only go with the item) and every header of the MIME, RFC 2047
// words decoded as IMAP SEARCH decodes them. A search in some fields only needs the items whose
// words are present in them: a query word found in a field lies inside one of that field's
// windows (the index's promise, field by field).
func itemIndex(it *Item) map[string]windowFields {
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
	windows(fold(it.CcAddr), mark(0, false))
	if len(it.MIME) > 0 {
		h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(it.MIME)))
		if err == nil {
			f := h.Fields()
			for f.Next() {
				own := headerFields[f.Key()] // Key is canonical
				windows(fold(decodeHeaderWords(f.Value())), mark(FieldHeader|own, false))
				if own != 0 {
					exactWords(imapHeaderText(f.Value()), mark(FieldHeader|own, true))
				} else {
					exactRuns(imapHeaderText(f.Value()), mark(FieldHeader, true))
				}
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

// provable returns the index term of a query that the index can prove ("" when it cannot): the
// query lowered in ASCII only, when one exact window of the text holds every match of it: a
// piece of one run of other script of at most termStep runes (a window holds it, see
// windowsOf), one to three CJK characters (a pair or a triple), or a piece of a token with
// punctuation inside that starts and ends with a word character (see tokens).
func provable(text string) string {
	if text == "" || !utf8.ValidString(text) || strings.IndexFunc(text, unicode.IsSpace) >= 0 {
		return ""
	}
	q := asciiLower(text)
	n, cjk := 0, 0
	for _, r := range q {
		n++
		if isCJK(r) {
			cjk++
		}
	}
	first, _ := utf8.DecodeRuneInString(q)
	last, _ := utf8.DecodeLastRuneInString(q)
	switch {
	case cjk == n:
		if n > 3 {
			return ""
		}
		return q
	case cjk > 0 || n > termStep:
		return ""
	case strings.IndexFunc(q, isSep) < 0:
		return q
	case isSep(first) || isSep(last):
		return ""
	}
	return q
}
