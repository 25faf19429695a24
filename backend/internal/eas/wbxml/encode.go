package wbxml

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// header is WBXML 1.3, public identifier 1 (unknown), UTF-8, no string
// table: the only header MS-ASWBXML uses.
var header = []byte{0x03, 0x01, 0x6A, 0x00}

// Encode writes the WBXML form of the tree rooted at n to w.
func Encode(w io.Writer, n *Node) error {
	b, err := Marshal(n)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Marshal returns the WBXML form of the tree rooted at n. It switches code
// pages only when a tag needs another page, sends text inline (STR_I) and
// opaque data as OPAQUE, and sets the content flag only on elements that have
// content, which is the shape of Microsoft's examples in MS-ASWBXML.
func Marshal(n *Node) ([]byte, error) {
	e := encoder{buf: append(make([]byte, 0, 512), header...)}
	if err := e.node(n, "", 1); err != nil {
		return nil, err
	}
	return e.buf, nil
}

type encoder struct {
	buf  []byte
	page int // WBXML starts on code page 0
}

func (e *encoder) node(n *Node, parentSpace string, depth int) error {
	if n == nil {
		return fmt.Errorf("wbxml: nil element under %q", parentSpace)
	}
	if depth > maxEncodeDepth {
		return fmt.Errorf("wbxml: tree deeper than %d levels (a cycle?)", maxEncodeDepth)
	}
	space, local := effective(n.Name, parentSpace)
	page, token, ok := lookup(space, local)
	if !ok {
		if space == "" {
			return fmt.Errorf("wbxml: element %q has no namespace", n.Name)
		}
		return fmt.Errorf("wbxml: unknown element %s:%s", space, local)
	}
	hasText, hasOpaque, hasKids := n.Text != "", n.Opaque != nil, len(n.Children) > 0
	if hasText && hasOpaque || (hasText || hasOpaque) && hasKids {
		return fmt.Errorf("wbxml: %s:%s mixes children, text and opaque data", space, local)
	}
	if hasText {
		// STR_I ends at NUL, and the header promises UTF-8.
		if strings.IndexByte(n.Text, 0) >= 0 {
			return fmt.Errorf("wbxml: text of %s:%s contains NUL", space, local)
		}
		if !utf8.ValidString(n.Text) {
			return fmt.Errorf("wbxml: text of %s:%s is not UTF-8", space, local)
		}
	}
	if page != e.page {
		e.buf = append(e.buf, tokSwitchPage, byte(page))
		e.page = page
	}
	if !hasText && !hasOpaque && !hasKids {
		e.buf = append(e.buf, token)
		return nil
	}
	e.buf = append(e.buf, token|flagContent)
	switch {
	case hasText:
		e.buf = append(e.buf, tokStrI)
		e.buf = append(e.buf, n.Text...)
		e.buf = append(e.buf, 0)
	case hasOpaque:
		if uint64(len(n.Opaque)) > 0xFFFFFFFF {
			return fmt.Errorf("wbxml: opaque data of %s:%s over 4 GiB", space, local)
		}
		e.buf = append(e.buf, tokOpaque)
		e.buf = appendMbUint32(e.buf, uint32(len(n.Opaque)))
		e.buf = append(e.buf, n.Opaque...)
	default:
		for _, c := range n.Children {
			if err := e.node(c, space, depth+1); err != nil {
				return err
			}
		}
	}
	// END is a global token: no page switch is needed before it.
	e.buf = append(e.buf, tokEnd)
	return nil
}

// appendMbUint32 appends v as a WBXML multi-byte integer, most significant
// group first.
func appendMbUint32(b []byte, v uint32) []byte {
	var tmp [5]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7F)
	for v >>= 7; v != 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7F) | 0x80
	}
	return append(b, tmp[i:]...)
}
