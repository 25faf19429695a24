package wbxml

import (
	"bytes"
	"strings"
)

// Node is one element of an ActiveSync document.
//
// Name is "Page:Tag" with the code page's namespace, e.g. "AirSync:Sync" or
// "Email:Subject". A name without "Page:" belongs to its parent's namespace,
// as under an XML default namespace; New and Add fill the namespace in, so
// handlers can write New("AirSync:Sync", New("Collections", ...)). Decoded
// trees always carry full names.
//
// An element holds child elements, or text, or opaque data, never two of
// them: ActiveSync has no mixed content, and the encoder refuses it.
type Node struct {
	Name     string
	Children []*Node
	Text     string
	// Opaque, when not nil, is the content as WBXML opaque data (byte
	// arrays such as ComposeMail:Mime); Text is then empty.
	Opaque []byte
}

// New returns an element with children.
func New(name string, children ...*Node) *Node {
	n := &Node{Name: name}
	return n.Add(children...)
}

// NewText returns an element holding text; empty text gives an empty element.
func NewText(name, text string) *Node { return &Node{Name: name, Text: text} }

// NewOpaque returns an element holding opaque data; nil data is treated as
// empty data, so the element still goes out as opaque. Byte arrays
// (MS-ASDTYPE 2.7.1: Email2:ConversationId and ConversationIndex,
// ComposeMail:Mime, ...) MUST be sent this way; the encoder sends what the
// tree says and does not convert text.
func NewOpaque(name string, data []byte) *Node {
	if data == nil {
		data = []byte{}
	}
	return &Node{Name: name, Opaque: data}
}

// Add appends children (nil ones are skipped) and returns n for chaining.
// Children without a namespace get n's, and so do their own children that
// lack one.
func (n *Node) Add(children ...*Node) *Node {
	space, _ := split(n.Name)
	for _, c := range children {
		if c == nil {
			continue
		}
		n.Children = append(n.Children, c)
		if space != "" {
			qualify(c, space)
		}
	}
	return n
}

// qualify gives c, and the unqualified descendants under it, the namespace
// space; qualified nodes were resolved when they were built, so it stops there.
func qualify(c *Node, space string) {
	if strings.IndexByte(c.Name, ':') >= 0 {
		return
	}
	c.Name = space + ":" + c.Name
	for _, k := range c.Children {
		if k != nil {
			qualify(k, space)
		}
	}
}

// Namespace returns the page part of the name ("AirSync" of "AirSync:Sync").
func (n *Node) Namespace() string {
	space, _ := split(n.Name)
	return space
}

// Local returns the tag part of the name ("Sync" of "AirSync:Sync").
func (n *Node) Local() string {
	_, local := split(n.Name)
	return local
}

// Child returns the first child called name, or nil. A name without "Page:"
// is looked for in n's namespace. Child on a nil node returns nil, so
// lookups chain: req.Child("Collections").Child("Collection").
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	own, _ := split(n.Name)
	space, local := effective(name, own)
	for _, c := range n.Children {
		if c != nil && named(c, own, space, local) {
			return c
		}
	}
	return nil
}

// All returns the children called name, in document order.
func (n *Node) All(name string) []*Node {
	if n == nil {
		return nil
	}
	own, _ := split(n.Name)
	space, local := effective(name, own)
	var out []*Node
	for _, c := range n.Children {
		if c != nil && named(c, own, space, local) {
			out = append(out, c)
		}
	}
	return out
}

// Has reports whether n has a child called name, for flags such as
// AirSync:GetChanges that are sent as empty elements.
func (n *Node) Has(name string) bool { return n.Child(name) != nil }

// TextOf returns the Value of the first child called name, or "".
func (n *Node) TextOf(name string) string { return n.Child(name).Value() }

// Value returns the content as a string whichever way it was sent: some
// clients send text such as AirSyncBase:Data as opaque data.
func (n *Node) Value() string {
	if n == nil {
		return ""
	}
	if n.Opaque != nil {
		return string(n.Opaque)
	}
	return n.Text
}

// named reports whether child c of a parent in namespace parentSpace is
// called space:local.
func named(c *Node, parentSpace, space, local string) bool {
	cs, cl := effective(c.Name, parentSpace)
	return cl == local && cs == space
}

// Equal reports whether two trees have the same names (namespaces
// resolved), content and children; opaque and text content differ even when
// their bytes agree, since they are different encodings.
func (n *Node) Equal(m *Node) bool { return equal(n, m, "", "", 0) }

func equal(a, b *Node, as, bs string, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > maxEncodeDepth {
		return false
	}
	as, al := effective(a.Name, as)
	bs, bl := effective(b.Name, bs)
	if as != bs || al != bl || a.Text != b.Text || (a.Opaque == nil) != (b.Opaque == nil) ||
		!bytes.Equal(a.Opaque, b.Opaque) || len(a.Children) != len(b.Children) {
		return false
	}
	for i := range a.Children {
		if !equal(a.Children[i], b.Children[i], as, bs, depth+1) {
			return false
		}
	}
	return true
}

// String returns the XML form, so a tree prints readably in logs and tests.
func (n *Node) String() string { return n.XML() }
