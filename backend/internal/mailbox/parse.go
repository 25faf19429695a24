package mailbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode ISO-8859-x, Windows-125x and friends
	gomail "github.com/emersion/go-message/mail"
)

// Attachment is the metadata kept for an attachment; the bytes stay in the raw MIME.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	ContentID   string `json:"contentId,omitempty"`
	Inline      bool   `json:"inline,omitempty"`
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
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if message.IsUnknownCharset(err) || message.IsUnknownEncoding(err) {
				continue
			}
			break // a broken part ends the walk; what was read is kept
		}
		body, _ := io.ReadAll(io.LimitReader(part.Body, 64<<20))
		switch ph := part.Header.(type) {
		case *gomail.InlineHeader:
			ct, _, _ := ph.ContentType()
			switch {
			case ct == "text/plain" && p.Text == "":
				p.Text = string(body)
			case ct == "text/html" && p.HTML == "":
				p.HTML = string(body)
			default:
				p.Attachments = append(p.Attachments, Attachment{ContentType: ct, Size: int64(len(body)), Inline: true, ContentID: strings.Trim(ph.Get("Content-Id"), "<>")})
			}
		case *gomail.AttachmentHeader:
			name, _ := ph.Filename()
			ct, _, _ := ph.ContentType()
			p.Attachments = append(p.Attachments, Attachment{Name: name, ContentType: ct, Size: int64(len(body))})
		}
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
