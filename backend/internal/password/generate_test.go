package password

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGenerate(t *testing.T) {
	seen := make(map[string]bool)
	policy := DefaultPolicy()
	for range 1000 {
		pw := Generate()
		if n := utf8.RuneCountInString(pw); n != 20 {
			t.Fatalf("Generate() = %q has %d characters, want 20", pw, n)
		}
		if v := policy.Check(pw, "alice@example.com"); len(v) != 0 {
			t.Fatalf("Generate() = %q violates %v", pw, rules(v))
		}
		if IsCommon(pw) {
			t.Fatalf("Generate() = %q is common", pw)
		}
		if strings.ContainsAny(pw, "0Oo1lI") {
			t.Fatalf("Generate() = %q contains a look-alike character", pw)
		}
		if seen[pw] {
			t.Fatalf("Generate() repeated %q", pw)
		}
		seen[pw] = true
	}
}

func TestGenerateUsesWholeAlphabet(t *testing.T) {
	// A bias bug (e.g. a wrong modulus) tends to leave characters unused.
	used := make(map[rune]bool)
	for range 200 {
		for _, r := range Generate() {
			used[r] = true
		}
	}
	for _, r := range alphabet {
		if !used[r] {
			t.Errorf("character %q never generated", r)
		}
	}
}

func TestGenerateForLongPolicy(t *testing.T) {
	p := Policy{MinLength: 40, RequireDigit: true}
	pw := GenerateFor(p)
	if len(pw) != 40 || len(p.Check(pw, "someone@example.com")) != 0 {
		t.Fatalf("GenerateFor(min 40) = %q", pw)
	}
	if pw := GenerateFor(Policy{MinLength: 8}); len(pw) != generatedLength {
		t.Fatalf("GenerateFor(min 8) has %d characters", len(pw))
	}
}
