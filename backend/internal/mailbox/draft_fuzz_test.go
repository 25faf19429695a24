package mailbox

import (
	"bytes"
	"testing"
	"time"
)

// FuzzDraft: whatever a device puts in a draft's fields (EAS 16.x Sync), the message built
// parses back with the same subject, the same attachment, and no header of its own making.
func FuzzDraft(f *testing.F) {
	f.Add("Bob <bob@example.com>; carl@example.org", "Figures", "text", "<p>x</p>", "a.csv", "text/csv", []byte("1,2"))
	f.Add("", "Ünïcode\r\nBcc: x@y", "", "", "n\"a\r\nme", "", []byte{0, 1})
	f.Fuzz(func(t *testing.T, to, subject, text, html, name, ct string, data []byte) {
		d := &Draft{To: to, Subject: subject, Text: text, HTML: html, Importance: 1,
			Attachments: []DraftAttachment{{Name: name, ContentType: ct, Data: data}}}
		raw, err := BuildDraft("me@example.com", d, time.Unix(0, 0))
		if err != nil {
			return // an address list that does not parse: Status 6
		}
		back, err := ReadDraft(raw)
		if err != nil {
			t.Fatalf("ReadDraft of our own draft: %v", err)
		}
		if len(back.Attachments) != 1 || !bytes.Equal(back.Attachments[0].Data, data) {
			t.Fatalf("attachment lost: %+v\n%s", back.Attachments, raw)
		}
		if p, err := Parse(raw, time.Unix(0, 0)); err != nil || len(p.Attachments) != 1 {
			t.Fatalf("Parse: %v %+v", err, p)
		}
	})
}
