package device

import (
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/text"
)

// clip cuts s to at most n bytes on a character boundary, invalid UTF-8 (a raw header)
// replaced: MySQL refuses a value that is not UTF-8, and a device's every request would fail.
func clip(s string, n int) string {
	return text.CutBytes(strings.ToValidUTF8(s, "\uFFFD"), n)
}
