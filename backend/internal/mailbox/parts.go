package mailbox

import (
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// leaf is one leaf part of a message as delivery reads it: the first inline text/plain and
// text/html parts are the message's bodies, every other leaf is an attachment. Attachments are
// counted from 0 in this order; that index is what a FileReference names, so Parse (which keeps
// the metadata) and AttachmentData (which serves the bytes) must walk with this one function.
type leaf struct {
	body        []byte
	text, html  bool
	att         Attachment
	disposition string // "inline", "attachment" or "" as the part says
}

// walkParts calls fn for each leaf of r in order until fn returns false or the parts end. A
// part in an unknown charset or encoding is skipped; a broken part ends the walk.
func walkParts(r *gomail.Reader, fn func(*leaf) bool) {
	seenText, seenHTML := false, false
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			if message.IsUnknownCharset(err) || message.IsUnknownEncoding(err) {
				continue
			}
			return
		}
		body, _ := io.ReadAll(io.LimitReader(part.Body, MaxMessage))
		l := &leaf{body: body}
		var h message.Header
		switch ph := part.Header.(type) {
		case *gomail.InlineHeader:
			h = ph.Header
		case *gomail.AttachmentHeader:
			h = ph.Header
		default:
			continue
		}
		ct, ctParams, _ := h.ContentType()
		disp, dispParams, _ := h.ContentDisposition()
		l.disposition = strings.ToLower(disp)
		if _, isInline := part.Header.(*gomail.InlineHeader); isInline {
			switch {
			case ct == "text/plain" && !seenText:
				seenText, l.text = true, true
			case ct == "text/html" && !seenHTML:
				seenHTML, l.html = true, true
			}
		}
		if !l.text && !l.html {
			name := dispParams["filename"]
			if name == "" {
				name = ctParams["name"]
			}
			l.att = Attachment{Name: name, ContentType: ct, Size: int64(len(body)),
				ContentID:       strings.TrimSpace(strings.Trim(strings.TrimSpace(h.Get("Content-Id")), "<>")),
				ContentLocation: strings.TrimSpace(h.Get("Content-Location"))}
		}
		if !fn(l) {
			return
		}
	}
}

// extensions of the types whose parts commonly come without a file name.
var extensions = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"image/svg+xml": ".svg", "image/bmp": ".bmp", "image/tiff": ".tif", "text/plain": ".txt",
	"text/html": ".html", "text/calendar": ".ics", "message/rfc822": ".eml", "application/pdf": ".pdf",
}

// DisplayName is the name a client shows for the index-th attachment: its own file name, else
// one made of its kind, position and type ("image-2.png"). Inline images usually come without
// a name, and an EAS client needs one to list, open or save the part.
func (a Attachment) DisplayName(index int) string {
	if a.Name != "" {
		return a.Name
	}
	kind := "attachment"
	if strings.HasPrefix(a.ContentType, "image/") {
		kind = "image"
	}
	return kind + "-" + strconv.Itoa(index+1) + extensions[strings.ToLower(a.ContentType)]
}
