package mailbox

import (
	"bytes"
	"errors"
	"io"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// ErrNoAttachment: the message has no attachment at that position.
var ErrNoAttachment = errors.New("no such attachment")

// AttachmentData returns the bytes and content type of the message's index-th attachment,
// counting parts exactly as Parse does when it records attachment metadata.
func AttachmentData(raw []byte, index int) ([]byte, string, error) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, "", ErrNoAttachment
	}
	n := 0
	seenText, seenHTML := false, false
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return nil, "", ErrNoAttachment
		}
		if err != nil {
			if message.IsUnknownCharset(err) || message.IsUnknownEncoding(err) {
				continue
			}
			return nil, "", ErrNoAttachment
		}
		var ct string
		switch ph := part.Header.(type) {
		case *gomail.InlineHeader:
			ct, _, _ = ph.ContentType()
			if ct == "text/plain" && !seenText {
				seenText = true
				continue
			}
			if ct == "text/html" && !seenHTML {
				seenHTML = true
				continue
			}
		case *gomail.AttachmentHeader:
			ct, _, _ = ph.ContentType()
		}
		if n == index {
			body, err := io.ReadAll(io.LimitReader(part.Body, MaxMessage))
			return body, ct, err
		}
		n++
	}
}
