package mailbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode ISO-8859-x, Windows-125x and friends
	gomail "github.com/emersion/go-message/mail"
)

// Attachment is the metadata kept for an attachment; the bytes stay in the raw MIME.
type Attachment struct {
	Name            string `json:"name"` // "" when the part has none (inline images often)
	ContentType     string `json:"contentType"`
	Size            int64  `json:"size"`
	ContentID       string `json:"contentId,omitempty"`
	ContentLocation string `json:"contentLocation,omitempty"`
	Inline          bool   `json:"inline,omitempty"` // shown in the HTML body by its Content-ID
}

// Parsed is what delivery stores of a message besides the raw MIME.
type Parsed struct {
	MessageID   string
	From        string
	To, Cc      string
	Subject     string
	Date        time.Time
	Importance  int // 0 low, 1 normal, 2 high (MS-ASEMAIL)
	Text, HTML  string
	Attachments []Attachment
}

// ErrNotMessage: the input is not an RFC 5322 message.
var ErrNotMessage = errors.New("not an RFC 5322 message")

// Parse reads a message's headers, text and HTML bodies and attachment metadata.
func Parse(raw []byte, received time.Time) (*Parsed, error) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("%w: %v", ErrNotMessage, err)
	}
	h := r.Header
	p := &Parsed{Importance: 1}
	p.MessageID, _ = h.MessageID()
	p.Subject, _ = h.Subject()
	p.From = addressList(h, "From")
	p.To = addressList(h, "To")
	p.Cc = addressList(h, "Cc")
	if p.From == "" && p.To == "" && p.Subject == "" && len(h.Map()) == 0 {
		return nil, ErrNotMessage
	}
	if d, err := h.Date(); err == nil && !d.IsZero() {
		p.Date = d.UTC()
	} else {
		p.Date = received.UTC()
	}
	p.Importance = importance(h.Get("Importance"), h.Get("X-Priority"))
	var refusedInline []bool // per attachment: its Content-Disposition says "attachment"
	walkParts(r, func(l *leaf) bool {
		switch {
		case l.text:
			p.Text = string(l.body)
		case l.html:
			p.HTML = string(l.body)
		default:
			p.Attachments = append(p.Attachments, l.att)
			refusedInline = append(refusedInline, l.disposition == "attachment")
		}
		return true
	})
	// A part is inline when the HTML body shows it (a cid: URL naming its Content-ID, as in a
	// multipart/related mail) and it does not ask to be an attachment: clients then draw it in
	// the body instead of listing it. A Content-ID nothing refers to stays a plain attachment.
	for i := range p.Attachments {
		a := &p.Attachments[i]
		a.Inline = a.ContentID != "" && !refusedInline[i] &&
			(strings.Contains(p.HTML, "cid:"+a.ContentID) || strings.Contains(p.HTML, "cid:"+url.PathEscape(a.ContentID)))
	}
	return p, nil
}

func addressList(h gomail.Header, key string) string {
	if addrs, err := h.AddressList(key); err == nil && len(addrs) > 0 {
		out := make([]string, len(addrs))
		for i, a := range addrs {
			out[i] = formatAddress(a.Name, a.Address)
		}
		return strings.Join(out, ", ")
	}
	v, _ := h.Text(key)
	if v == "" {
		return ""
	}
	if dec, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return dec
	}
	return v
}

// formatAddress writes `"Name" <addr>` in UTF-8 (not RFC 2047): EAS clients show it as is.
func formatAddress(name, addr string) string {
	if name == "" {
		return addr
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `" <` + addr + ">"
}

func importance(imp, prio string) int {
	switch strings.ToLower(strings.TrimSpace(imp)) {
	case "high":
		return 2
	case "low":
		return 0
	}
	switch {
	case strings.HasPrefix(strings.TrimSpace(prio), "1"), strings.HasPrefix(strings.TrimSpace(prio), "2"):
		return 2
	case strings.HasPrefix(strings.TrimSpace(prio), "4"), strings.HasPrefix(strings.TrimSpace(prio), "5"):
		return 0
	}
	return 1
}

// AttachmentsJSON encodes attachment metadata for storage.
func AttachmentsJSON(a []Attachment) string {
	if len(a) == 0 {
		return ""
	}
	b, _ := json.Marshal(a)
	return string(b)
}

// DecodeAttachments reads stored attachment metadata.
func DecodeAttachments(s string) []Attachment {
	var a []Attachment
	if s != "" {
		_ = json.Unmarshal([]byte(s), &a)
	}
	return a
}
