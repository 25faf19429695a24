package mailbox

import (
	"bytes"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// A forward carries the original as an attachment that can be read back whole: the multipart
// ends with its closing boundary.
func TestComposeForwardIsComplete(t *testing.T) {
	orig := []byte("From: a@example.org\r\nTo: admin@example.com\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\nBody\r\n")
	out, err := Compose([]byte("From: admin@example.com\r\nTo: b@example.org\r\nSubject: Fwd: Hello\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nSee below.\r\n"), &store.Item{MIME: orig}, true)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(bytes.TrimSpace(out), []byte("--")) {
		t.Fatalf("no closing boundary:\n%s", out)
	}
	data, ct, err := AttachmentData(out, 0)
	if err != nil || ct != "message/rfc822" || !bytes.Contains(data, []byte("Subject: Hello")) {
		t.Fatalf("the forwarded original: %q %q %v", data, ct, err)
	}
}
