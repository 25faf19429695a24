package mailbox

import (
	"bytes"
	"errors"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// ErrNoAttachment: the message has no attachment at that position.
var ErrNoAttachment = errors.New("no such attachment")

// AttachmentData returns the bytes and content type of the message's index-th attachment,
// counting parts exactly as Parse does when it records attachment metadata (walkParts).
func AttachmentData(raw []byte, index int) ([]byte, string, error) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, "", ErrNoAttachment
	}
	n := 0
	var found *leaf
	walkParts(r, func(l *leaf) bool {
		if l.text || l.html {
			return true
		}
		if n == index {
			found = l
			return false
		}
		n++
		return true
	})
	if found == nil {
		return nil, "", ErrNoAttachment
	}
	return found.body, found.att.ContentType, nil
}
