package pim

import (
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// stickyNote is the message class of a plain note (MS-ASNOTE 2.2.2.5).
const stickyNote = "IPM.StickyNote"

// EncodeNote builds the ApplicationData children for n. LastModifiedDate is
// a Compact DateTime, unlike the task dates.
func EncodeNote(n *Note, version string, bodyTruncation int64) []*wbxml.Node {
	var o out
	o.text("Notes:Subject", n.Subject)
	o.node(encodeBody(n.Body, bodyTruncation))
	class := n.MessageClass
	if class == "" {
		class = stickyNote
	}
	o.always("Notes:MessageClass", class)
	o.compact("Notes:LastModifiedDate", &n.LastModified)
	o.list("Notes:Categories", "Category", n.Categories)
	return o
}

// DecodeNote reads a note a device sent; MessageClass defaults to
// IPM.StickyNote.
func DecodeNote(ad *wbxml.Node) (*Note, error) {
	if ad == nil {
		return nil, errors.New("pim: no ApplicationData")
	}
	n := &Note{MessageClass: stickyNote}
	var r reader
	for _, c := range ad.Children {
		switch c.Name {
		case "Notes:Subject":
			n.Subject = c.Value()
		case "AirSyncBase:Body":
			n.Body = decodeBody(c)
		case "Notes:MessageClass":
			if c.Value() != "" {
				n.MessageClass = c.Value()
			}
		case "Notes:LastModifiedDate":
			n.LastModified = r.date(c)
		case "Notes:Categories":
			n.Categories = nonEmpty(list(c, "Category"))
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return n, nil
}
