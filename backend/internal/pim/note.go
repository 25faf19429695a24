package pim

import "time"

// Note is an item of a Notes folder (MS-ASNOTE), a class that exists from
// protocol 14.0 on: a 12.1 client must not be offered a Notes folder.
type Note struct {
	Subject      string    `json:"subject,omitempty"`
	Body         string    `json:"body,omitempty"`
	MessageClass string    `json:"messageClass,omitempty"` // IPM.StickyNote, or a subclass of it
	LastModified time.Time `json:"lastModified,omitzero"`
	Categories   []string  `json:"categories,omitempty"`
}

// Summary is the note's subject.
func (n *Note) Summary() string { return n.Subject }
