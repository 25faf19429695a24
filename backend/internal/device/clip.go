package device

import (
	"strings"
	"unicode/utf8"
)

// clip cuts s to at most n bytes on a character boundary, invalid UTF-8 (a raw header)
// replaced: MySQL refuses a value that is not UTF-8, and a device's every request would fail.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
