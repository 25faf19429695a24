package mailbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// Draft is a message written field by field (EAS 16.x Sync in the Drafts folder, MS-ASEMAIL
// 2.2.2): its recipients, subject, importance, body and attachments. BuildDraft makes the
// MIME message stored in Drafts, so IMAP and the webmail see a real message; ReadDraft reads
// one back for a change.
type Draft struct {
	To, Cc, Bcc string // address lists, separated by "," or ";"
	Subject     string
	Importance  int // 0 low, 1 normal, 2 high
	Text, HTML  string
	Attachments []DraftAttachment
}

// DraftAttachment is one attachment of a draft with its bytes.
type DraftAttachment struct {
	Name, ContentType, ContentID string
	Inline                       bool
	Data                         []byte
}

// BuildDraft writes d as a message from the account's address. The Bcc header stays in the
// draft (sending drops it). Attachments are written in order after the bodies, so the n-th
// one is attachment n of Parse and AttachmentData (the FileReference a device is told).
func BuildDraft(from string, d *Draft, now time.Time) ([]byte, error) {
	var h gomail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*gomail.Address{{Address: from}})
	for _, f := range []struct{ key, list string }{{"To", d.To}, {"Cc", d.Cc}, {"Bcc", d.Bcc}} {
		addrs, err := parseList(f.list)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNotMessage, f.key, err)
		}
		if len(addrs) > 0 {
			h.SetAddressList(f.key, addrs)
		}
	}
	h.SetSubject(d.Subject)
	h.Set("Message-Id", "<"+randomToken()+"@tessera>")
	switch d.Importance {
	case 0:
		h.Set("Importance", "low")
	case 2:
		h.Set("Importance", "high")
	}
	var b bytes.Buffer
	if len(d.Attachments) == 0 && d.HTML == "" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w, err := gomail.CreateSingleInlineWriter(&b, h)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, d.Text); err != nil {
			return nil, err
		}
		return closed(&b, w)
	}
	mw, err := gomail.CreateWriter(&b, h)
	if err != nil {
		return nil, err
	}
	iw, err := mw.CreateInline()
	if err != nil {
		return nil, err
	}
	bodies := []struct{ ct, text string }{{"text/plain", d.Text}, {"text/html", d.HTML}}
	for _, body := range bodies {
		if body.text == "" && (body.ct == "text/html" || d.HTML != "") {
			continue
		}
		var ph gomail.InlineHeader
		ph.Set("Content-Type", body.ct+"; charset=utf-8")
		pw, err := iw.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(pw, body.text); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := iw.Close(); err != nil {
		return nil, err
	}
	for _, a := range d.Attachments {
		var ah gomail.AttachmentHeader
		ah.Set("Content-Type", mediaType(a.ContentType))
		ah.SetFilename(a.Name)
		if a.Inline {
			ah.Set("Content-Disposition", "inline; filename="+mimeParam(a.Name))
		}
		if cid := strings.Trim(oneLine(a.ContentID), "<> "); cid != "" {
			ah.Set("Content-Id", "<"+cid+">")
		}
		aw, err := mw.CreateAttachment(ah)
		if err != nil {
			return nil, err
		}
		if _, err := aw.Write(a.Data); err != nil {
			return nil, err
		}
		if err := aw.Close(); err != nil {
			return nil, err
		}
	}
	return closed(&b, mw)
}

// ReadDraft reads a stored message back into its fields and attachments (with their bytes),
// counting attachments as Parse does.
func ReadDraft(raw []byte) (*Draft, error) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("%w: %v", ErrNotMessage, err)
	}
	d := &Draft{To: addressList(r.Header, "To"), Cc: addressList(r.Header, "Cc"), Bcc: addressList(r.Header, "Bcc"),
		Importance: importance(r.Header.Get("Importance"), r.Header.Get("X-Priority"))}
	d.Subject, _ = r.Header.Subject()
	walkParts(r, func(l *leaf) bool {
		switch {
		case l.text:
			d.Text = string(l.body)
		case l.html:
			d.HTML = string(l.body)
		default:
			d.Attachments = append(d.Attachments, DraftAttachment{Name: l.att.Name, ContentType: l.att.ContentType,
				ContentID: l.att.ContentID, Inline: l.disposition == "inline", Data: l.body})
		}
		return true
	})
	return d, nil
}

// parseList reads an address list as devices write it: "," or ";" between addresses.
func parseList(s string) ([]*gomail.Address, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ";", ","))
	if strings.Trim(s, ", ") == "" {
		return nil, nil
	}
	list, err := mail.ParseAddressList(strings.Trim(s, ", "))
	if err != nil {
		return nil, err
	}
	out := make([]*gomail.Address, len(list))
	for i, a := range list {
		out[i] = (*gomail.Address)(a)
	}
	return out, nil
}

// mediaType is the device's content type when it is one, application/octet-stream otherwise
// (a header must not take a device's text as it is).
func mediaType(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !strings.Contains(mt, "/") {
		return "application/octet-stream"
	}
	if out := mime.FormatMediaType(mt, params); out != "" {
		return out
	}
	return "application/octet-stream"
}

func oneLine(v string) string { return strings.NewReplacer("\r", "", "\n", "").Replace(v) }

func mimeParam(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "").Replace(v) + `"`
}

func randomToken() string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	return hex.EncodeToString(r[:])
}
