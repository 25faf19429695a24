package notice_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/notice"
)

// FuzzParseEnabled: the setting's value comes from the API and the CLI. Whatever it is,
// parsing never panics, and a value it accepts means what Enabled reads back.
func FuzzParseEnabled(f *testing.F) {
	for _, s := range []string{"all", "none", "[]", `["new_browser"]`, "password_changed, otp_locked", "", ",", `["x"`, "[1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		off, err := notice.ParseEnabled(v)
		if err != nil {
			return
		}
		list := strings.Join(notice.Enabled(off), ",")
		if list == "" {
			list = "none"
		}
		again, err := notice.ParseEnabled(list)
		if err != nil || again != off {
			t.Fatalf("ParseEnabled(%q) = %q; its events %v read back as %q, %v", v, off, notice.Enabled(off), again, err)
		}
	})
}
