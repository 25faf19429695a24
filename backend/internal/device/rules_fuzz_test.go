package device

import (
	"strings"
	"testing"
)

// FuzzMatch: patterns come from the API; matching never panics, a pattern without * is a
// case-insensitive equality, and "*" + value + "*" always matches value.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{{"iPhone*", "iPhone15C3"}, {"*/2*", "Apple-iPhone/2104"}, {"a*b*c", "abc"}, {"**", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, value string) {
		got := Match(pattern, value)
		if !strings.Contains(pattern, "*") && got != (strings.ToLower(pattern) == strings.ToLower(value)) {
			t.Fatalf("Match(%q, %q) = %v without a wildcard", pattern, value, got)
		}
		if !strings.Contains(value, "*") && !Match("*"+value+"*", value) {
			t.Fatalf("*%s* does not match %q", value, value)
		}
	})
}
