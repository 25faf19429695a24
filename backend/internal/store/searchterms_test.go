package store

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The index's promise: any piece of a text, searched for, finds the text. Every query word of
// the piece is the start of a suffix the text's index holds (so the text is a candidate).
func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"Grüße aus München", "東京都に住んでいます。明日の会議", "hello, world", "ABC東京def", "x" + strings.Repeat("abcdefghij", 9),
		"Ｆｕｌｌｗｉｄｔｈ", "ﬁle İstanbul ß", "カタカナー", "한국어 텍스트"} {
		f.Add(s, 0, 5)
	}
	f.Fuzz(func(t *testing.T, text string, i, j int) {
		if !utf8.ValidString(text) || len(text) > 2000 {
			return
		}
		if i < 0 || j < i || j > len(text) || i < len(text) && !utf8.RuneStart(text[i]) {
			return
		}
		if j < len(text) && !utf8.RuneStart(text[j]) {
			return
		}
		piece := text[i:j]
		held := map[string]bool{}
		windows(fold(text), func(w string) { suffixes(w, func(s string) { held[s] = true }) })
		for _, term := range queryTerms(piece) {
			found := false
			for s := range held {
				if strings.HasPrefix(s, term) {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("%q in %q: the word %q starts no suffix of the index", piece, text, term)
			}
		}
	})
}

// The proof's promise (searchexact.go): a provable query found in an exact window of a text
// matches the text for every predicate: ASCII-only case folding (SQLite's LIKE) and Go's
// strings.ToLower (IMAP SEARCH).
func FuzzSearchProof(f *testing.F) {
	for _, s := range [][2]string{{"Grüße aus München", "nchen"}, {"東京都に住んでいます", "東京"}, {"\u212aelvin KELVIN", "kelvin"},
		{"ﬁle FILE", "fi"}, {"İstanbul", "istanbul"}, {"Ｆｕｌｌ full", "ful"}, {"abc東京def", "c東"}, {"ΣΊΣΥΦΟΣ", "σ"},
		{"From: <Sender7@Domain7.example>,", "domain7.example"}, {"会議の議事録です", "議事録"}, {"GRÜSSE aus München", "mÜnchen"},
		{"e-mail, E-Mail; 2026-12-06", "-mail"}, {"\u212aelvin", "elvin"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, q string) {
		if len(text) > 2000 {
			return
		}
		term := provable(q)
		if term == "" {
			return
		}
		proven := false
		exactWords(text, func(w string) { suffixes(w, func(s string) { proven = proven || strings.HasPrefix(s, term) }) })
		if !proven {
			return
		}
		if !strings.Contains(asciiLower(text), asciiLower(q)) {
			t.Fatalf("%q proven in %q, but not there up to ASCII case", q, text)
		}
		if !strings.Contains(strings.ToLower(text), strings.ToLower(q)) {
			t.Fatalf("%q proven in %q, but strings.ToLower finds it not", q, text)
		}
	})
}
