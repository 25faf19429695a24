package device

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// What a device says of itself is cut to its column on a character boundary and made valid
// UTF-8, so MySQL takes it (a cut inside "é" made every Settings 503 on MariaDB).
func TestClip(t *testing.T) {
	for _, in := range []string{strings.Repeat("é", 150), "x" + strings.Repeat("ü", 200), "UA \xff\xfe/1.0", strings.Repeat("a", 300)} {
		out := clip(in, 191)
		if len(out) > 191 || !utf8.ValidString(out) || !strings.HasPrefix(in, out[:1]) {
			t.Errorf("clip(%q) = %q", in, out)
		}
	}
	if got := clip("short", 191); got != "short" {
		t.Errorf("clip kept %q", got)
	}
}
