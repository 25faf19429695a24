package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCutBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 5, "hello"},
		{"hello", 3, "hel"},
		{"aé", 2, "a"},  // é is 2 bytes: the cut may not split it
		{"aé", 3, "aé"}, // exactly its bytes
		{"€uro", 2, ""}, // € is 3 bytes
		{"€uro", 3, "€"},
		{"a😀b", 4, "a"}, // 4-byte character
		{"a😀b", 5, "a😀"},
		{"abc", 0, ""},
		{"abc", -1, ""}, // no panic on a negative limit
		{"", 0, ""},
	} {
		if got := CutBytes(c.in, c.n); got != c.want {
			t.Errorf("CutBytes(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// A varchar(191) on MariaDB utf8mb4 holds 191 characters: the audit reason and a mail's
// Message-ID and From are cut by characters, so 191 umlauts (382 bytes) all stay.
func TestCutRunes(t *testing.T) {
	long := strings.Repeat("ä", 200)
	if got := CutRunes(long, 191); got != strings.Repeat("ä", 191) || len(got) != 382 {
		t.Fatalf("191 runes of ä: %d bytes", len(got))
	}
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"äöü", 2, "äö"},
		{"äöü", 3, "äöü"},
		{"a😀b", 2, "a😀"},
		{"abc", 0, ""},
		{"abc", -5, ""},
		{"\xffabc", 10, "\xffabc"}, // fits: unchanged, as before
		{"\xffabc", 2, "\uFFFDa"},  // cut: the invalid byte became U+FFFD, as before
	} {
		if got := CutRunes(c.in, c.n); got != c.want {
			t.Errorf("CutRunes(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "hello", "aé", "€uro", "a😀b", "\xff\xfe", "ä\x80ö", strings.Repeat("ü", 100)} {
		for _, n := range []int{-1, 0, 1, 2, 3, 4, 191} {
			f.Add(s, n)
		}
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		b := CutBytes(s, n)
		if len(b) > max(n, 0) && len(b) != len(s) || len(b) > len(s) {
			t.Fatalf("CutBytes(%q, %d) = %q: longer than asked", s, n, b)
		}
		if len(s) <= n && b != s || !strings.HasPrefix(s, b) {
			t.Fatalf("CutBytes(%q, %d) = %q: not the string or its prefix", s, n, b)
		}
		if utf8.ValidString(s) && !utf8.ValidString(b) {
			t.Fatalf("CutBytes(%q, %d) = %q: split a character", s, n, b)
		}
		if utf8.ValidString(s) && n > 0 && len(s) > n && n-len(b) >= utf8.UTFMax {
			t.Fatalf("CutBytes(%q, %d) = %q: cut more than one character short", s, n, b)
		}
		r := CutRunes(s, n)
		if utf8.RuneCountInString(r) > max(n, 0) {
			t.Fatalf("CutRunes(%q, %d) = %q: longer than asked", s, n, r)
		}
		if utf8.ValidString(s) && !utf8.ValidString(r) {
			t.Fatalf("CutRunes(%q, %d) = %q: not UTF-8", s, n, r)
		}
		if utf8.ValidString(s) && !strings.HasPrefix(s, r) {
			t.Fatalf("CutRunes(%q, %d) = %q: not a prefix", s, n, r)
		}
		if n > 0 && utf8.RuneCountInString(s) <= n && r != s {
			t.Fatalf("CutRunes(%q, %d) = %q: cut a string that fits", s, n, r)
		}
	})
}
