package mailbox

import (
	"bytes"
	"encoding/base64"
	"os"
	"testing"
	"time"
)

// A multipart/related HTML mail: the images its HTML shows by cid: are inline attachments (one
// without any name), each fetchable by its index; an attachment with an unreferenced Content-ID
// is not inline.
func TestInlineImages(t *testing.T) {
	raw, err := os.ReadFile("testdata/inline.eml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != "Our logo and a photo." || !bytes.Contains([]byte(p.HTML), []byte("cid:logo@example.org")) {
		t.Fatalf("bodies: %q %q", p.Text, p.HTML)
	}
	want := []Attachment{
		{Name: "", ContentType: "image/png", Size: 69, ContentID: "logo@example.org", Inline: true},
		{Name: "photo.png", ContentType: "image/png", Size: 69, ContentID: "photo.1@example.org", Inline: true},
		{Name: "agenda.pdf", ContentType: "application/pdf", Size: 9, ContentID: "agenda@example.org"},
	}
	if len(p.Attachments) != len(want) {
		t.Fatalf("attachments: %+v", p.Attachments)
	}
	for i, w := range want {
		if p.Attachments[i] != w {
			t.Errorf("attachment %d: %+v, want %+v", i, p.Attachments[i], w)
		}
	}
	names := []string{"image-1.png", "photo.png", "agenda.pdf"}
	for i, a := range p.Attachments {
		if a.DisplayName(i) != names[i] {
			t.Errorf("display name %d: %q", i, a.DisplayName(i))
		}
	}
	logo, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
	if data, ct, err := AttachmentData(raw, 0); err != nil || ct != "image/png" || !bytes.Equal(data, logo) {
		t.Fatalf("attachment 0: %v %s %x", err, ct, data)
	}
	if data, _, err := AttachmentData(raw, 2); err != nil || string(data) != "%PDF-1.4\n" {
		t.Fatalf("attachment 2: %v %q", err, data)
	}
	if _, _, err := AttachmentData(raw, 3); err != ErrNoAttachment {
		t.Fatalf("attachment 3: %v", err)
	}
}

// The first text/plain part is the text body even when it is empty: Parse and AttachmentData
// count the parts after it alike (a second text/plain is attachment 0 for both).
func TestEmptyTextBodyCountsLikeAttachmentData(t *testing.T) {
	raw := []byte("From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b--\r\n")
	p, err := Parse(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := AttachmentData(raw, 0)
	if p.Text != "" || len(p.Attachments) != 1 || err != nil || string(data) != "second" {
		t.Fatalf("text %q, attachments %+v, attachment 0: %q %v", p.Text, p.Attachments, data, err)
	}
}
