package store

import (
	"hash/fnv"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
	"golang.org/x/text/unicode/norm"
)

// The search index (see searchindex.go) maps words to items. Its only job is to name a
// superset of the items a substring search can match: the search still runs today's predicate
// (SQL LIKE for EAS, Go's case-folded strings.Contains for IMAP) on those candidates, so the
// results are exactly the old ones. For that superset to be safe, text and query are cut the
// same way:
//
//   - fold: lower case, compatibility decomposition (NFKD: fullwidth forms and ligatures become
//     their ASCII letters), combining marks dropped ("München" → "munchen"). SQLite's LIKE only
//     folds ASCII, MySQL's utf8mb4_unicode_ci also folds accents; folding more than either is
//     harmless, it only adds candidates;
//   - words: runs between separators, which are spaces and ASCII punctuation only; every other
//     character, Japanese included, is a word character, so an unspaced Japanese sentence is one
//     word and its parts are found as substrings of it (through the word's suffixes);
//   - a word is cut further where it changes between CJK and other script: a CJK run is kept
//     as its pairs of characters (see isCJK), a query's CJK run is looked up by its pairs;
//   - a word longer than termWindow runes is kept as windows of termWindow runes every termStep
//     runes, so any piece of up to termStep runes lies wholly inside one window; a query word is
//     cut to its first termStep runes.
//
// A query word found in the text lies inside one text word (it has no separator, and the text
// has the same characters where it matched), so it is a prefix of a suffix of that word's
// window: the index stores the suffixes starting in each window's first termStep runes.
const (
	termWindow = 32
	termStep   = 16
	// queryTerms uses at most this many words of a query (the longest ones): each narrows the
	// candidates, and more cost more than they save.
	maxQueryTerms = 3
)

func fold(s string) string {
	s = norm.NFKD.String(strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func isSep(r rune) bool {
	if r < utf8.RuneSelf {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}
	return unicode.IsSpace(r)
}

// isCJK: Chinese, Japanese and Korean script, written without spaces; a run of it is indexed
// as its overlapping pairs of characters (a lone character as itself), which keeps the
// vocabulary to the pairs in use instead of every window of every sentence.
func isCJK(r rune) bool {
	return r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
}

// runs splits a word where it changes between CJK and other characters: a query's piece of
// either kind lies inside a text's run of its kind.
func runs(word string, fn func(run string, cjk bool)) {
	start, cjk := 0, false
	for i, r := range word {
		c := isCJK(r)
		if i > 0 && c != cjk {
			fn(word[start:i], cjk)
			start = i
		}
		cjk = c
	}
	if start < len(word) {
		fn(word[start:], cjk)
	}
}

// pairs calls add with each pair of neighbouring characters of a CJK run (one character: it).
func pairs(run string, add func(string)) {
	r := []rune(run)
	if len(r) == 1 {
		add(run)
	}
	for i := 0; i+1 < len(r); i++ {
		add(string(r[i : i+2]))
	}
}

// windows cuts a folded text into its index words: pairs of CJK runs, windows (each at most
// termWindow runes) of other runs.
func windows(text string, add func(w string)) {
	for _, word := range strings.FieldsFunc(text, isSep) {
		runs(word, func(run string, cjk bool) {
			if cjk {
				pairs(run, add)
			} else {
				windowsOf(run, add)
			}
		})
	}
}

func windowsOf(word string, add func(w string)) {
	n := utf8.RuneCountInString(word)
	if n <= termWindow {
		add(word)
		if n <= termStep {
			return
		}
	}
	r := []rune(word)
	for s := 0; s < n; s += termStep {
		if s == 0 && n <= termWindow {
			continue // the whole word, added above
		}
		add(string(r[s:min(s+termWindow, n)]))
	}
}

// suffixes calls add with each suffix of a window that starts in its first termStep runes.
func suffixes(w string, add func(suffix string)) {
	for i, k := 0, 0; i < len(w) && k < termStep; k++ {
		add(w[i:])
		_, size := utf8.DecodeRuneInString(w[i:])
		i += size
	}
}

// termHash names a window in the postings: 64 bits, so that two windows of one hash, which
// would add candidates and make a proof wrong (searchexact.go), are not to be expected.
func termHash(w string) int64 {
	h := fnv.New64a()
	h.Write([]byte(w))
	return int64(h.Sum64())
}

// decodeHeaderWords decodes RFC 2047 encoded words the way the IMAP SEARCH does.
func decodeHeaderWords(v string) string {
	if d, ok := decodedHeader(v); ok {
		return v + " " + d // both: a search may name the encoded or the decoded form
	}
	return v
}

// decodedHeader decodes a header value's RFC 2047 words; ok is false when they do not decode.
func decodedHeader(v string) (string, bool) {
	h := mail.Header{}
	h.Set("X", v)
	d, err := h.Text("X")
	return d, err == nil
}

// queryTerms returns the words of a search text to look up, longest first, each cut to
// termStep runes; none when the text has no word (then the index cannot narrow the search).
func queryTerms(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, word := range strings.FieldsFunc(fold(text), isSep) {
		runs(word, func(w string, cjk bool) {
			if cjk {
				pairs(w, add)
				return
			}
			if r := []rune(w); len(r) > termStep {
				w = string(r[:termStep])
			}
			add(w)
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	if len(out) > maxQueryTerms {
		out = out[:maxQueryTerms]
	}
	return out
}
