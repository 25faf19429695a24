package eastest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// FolderOfType is the ServerId of the folder of that type (2 Inbox, 3 Drafts, 4 Deleted
// Items, 7 Tasks, 8 Calendar, 9 Contacts, 10 Notes...) among a FolderSync answer's Adds ("" when
// none).
func FolderOfType(fs *wbxml.Node, typ string) string {
	for _, a := range fs.Child("Changes").All("Add") {
		if a.TextOf("Type") == typ {
			return a.TextOf("ServerId")
		}
	}
	return ""
}

// Adds are the subjects of the mails a Sync answer's collection adds, in order.
func Adds(col *wbxml.Node) []string {
	var out []string
	for _, a := range col.Child("AirSync:Commands").All("AirSync:Add") {
		out = append(out, a.Child("AirSync:ApplicationData").TextOf("Email:Subject"))
	}
	return out
}

// Ops counts a Sync answer's collection's commands by name (Add, Change, Delete...).
func Ops(col *wbxml.Node) map[string]int {
	out := map[string]int{}
	if col == nil {
		return out
	}
	for _, c := range col.Child("AirSync:Commands").Children {
		out[c.Local()]++
	}
	return out
}

// PingBody is a Ping of the mail folders with that heartbeat (seconds).
func PingBody(hb string, folders ...string) *wbxml.Node {
	fs := wbxml.New("Folders")
	for _, f := range folders {
		fs.Add(wbxml.New("Folder", wbxml.NewText("Id", f), wbxml.NewText("Class", "Email")))
	}
	return wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", hb), fs)
}

// ParseID reads a ServerId as an item id (0 when it is none).
func ParseID(s string) uint64 {
	var n uint64
	fmt.Sscan(s, &n)
	return n
}

// FolderItems are the subjects of what is in an account's default folder of that type, read
// from the server side (not through EAS).
func FolderItems(t testing.TB, s *apptest.Server, email string, typ int) []string {
	t.Helper()
	ctx := t.Context()
	acct, err := s.App.Accounts.Get(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.App.Mailbox.FolderByType(ctx, acct.ID, typ)
	items, _ := s.App.Mailbox.Changes(ctx, f.ID, 0, 100)
	var out []string
	for _, it := range items {
		if !it.Deleted {
			out = append(out, it.Subject)
		}
	}
	return out
}

// LibwbxmlDecodes runs Debian's wbxml2xml, a decoder nobody here wrote, on a live answer and
// checks the XML it makes holds the wanted strings.
func LibwbxmlDecodes(t testing.TB, raw []byte, wants ...string) {
	t.Helper()
	tool := testenv.OptionalTool(t, "wbxml2xml", "libwbxml2-utils")
	if tool == "" {
		return
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "r.wbxml"), filepath.Join(dir, "r.xml")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(tool, "-l", "ACTIVESYNC", "-m", "0", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("wbxml2xml refused our response: %v %s", err, msg)
	}
	xml, _ := os.ReadFile(out)
	for _, w := range wants {
		if !strings.Contains(string(xml), w) {
			t.Fatalf("wbxml2xml output lacks %q:\n%s", w, xml)
		}
	}
}
