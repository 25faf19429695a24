package wbxml

import (
	"fmt"
	"unicode/utf8"
)

// frame is an element whose content is still being read.
type frame struct {
	node *Node
	kind byte   // 0 before any content, 't' text, 'o' opaque
	buf  []byte // content so far; points into the document until a second chunk arrives
	own  bool   // buf was allocated here
}

// document reads the header and the body: one root element, nothing after.
// It walks the tokens with an explicit stack rather than recursion, so the
// depth limit, not the goroutine stack, decides how deep a document may go.
func (d *decoder) document() (*Node, error) {
	if err := d.header(); err != nil {
		return nil, err
	}
	var (
		root     *Node
		stack    = make([]frame, 0, 16)
		page     int
		elements int
	)
	for d.pos < len(d.data) {
		if root != nil && len(stack) == 0 {
			return nil, d.fail("data after the root element")
		}
		b := d.data[d.pos]
		d.pos++
		switch b {
		case tokSwitchPage:
			p, err := d.byte()
			if err != nil {
				return nil, err
			}
			if int(p) >= numPages {
				return nil, d.fail("unknown code page %d", p)
			}
			page = int(p)
		case tokEnd:
			if len(stack) == 0 {
				return nil, d.fail("END outside an element")
			}
			d.finish(&stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		case tokStrI, tokStrT, tokEntity, tokOpaque:
			if len(stack) == 0 {
				return nil, d.fail("content outside an element")
			}
			if err := d.content(&stack[len(stack)-1], b); err != nil {
				return nil, err
			}
		default:
			id := b & 0x3F
			if id < 0x05 { // LITERAL, EXT, PI: string-table tags and extensions ActiveSync never uses
				return nil, d.fail("unsupported token %#x", b)
			}
			if b&flagAttrs != 0 {
				return nil, d.fail("attributes are not used by ActiveSync")
			}
			// MS-ASWBXML defines the whole code space of the versions we
			// speak; an unknown token is corruption or a protocol version
			// we did not negotiate, and guessing would let a handler act
			// on a document it cannot understand.
			name := fullNames[page][id]
			if name == "" {
				return nil, d.fail("unknown tag %#x on code page %d (%s)", id, page, pageNames[page])
			}
			if len(stack) >= d.lim.MaxDepth {
				return nil, fmt.Errorf("%w: more than %d levels at byte %d", ErrLimit, d.lim.MaxDepth, d.pos-1)
			}
			if elements++; elements > d.lim.MaxElements {
				return nil, fmt.Errorf("%w: more than %d elements at byte %d", ErrLimit, d.lim.MaxElements, d.pos-1)
			}
			n := &Node{Name: name}
			if len(stack) == 0 {
				root = n
			} else {
				top := &stack[len(stack)-1]
				if top.kind != 0 {
					return nil, d.fail("element %s inside text", name)
				}
				top.node.Children = append(top.node.Children, n)
			}
			if b&flagContent != 0 {
				stack = append(stack, frame{node: n})
			}
		}
	}
	if root == nil {
		return nil, d.fail("no root element")
	}
	if len(stack) > 0 {
		return nil, d.fail("document ends inside %s", stack[len(stack)-1].node.Name)
	}
	return root, nil
}

// content reads one content token (its first byte already consumed) into f.
func (d *decoder) content(f *frame, tok byte) error {
	start := d.pos - 1
	var (
		chunk []byte
		kind  byte = 't'
	)
	switch tok {
	case tokStrI:
		s, ok := cstring(d.data, d.pos)
		if !ok {
			return d.fail("unterminated string")
		}
		d.pos += len(s) + 1
		chunk = s
	case tokStrT:
		i, err := d.mbUint32()
		if err != nil {
			return err
		}
		if uint64(i) >= uint64(len(d.strtbl)) {
			return d.fail("string table reference %d out of range", i)
		}
		s, ok := cstring(d.strtbl, int(i))
		if !ok {
			return d.fail("unterminated string in the string table")
		}
		chunk = s
	case tokEntity:
		c, err := d.mbUint32()
		if err != nil {
			return err
		}
		// NUL could not be re-encoded inline; surrogates are not text.
		if c == 0 || c > utf8.MaxRune || !utf8.ValidRune(rune(c)) {
			return d.fail("bad character entity %#x", c)
		}
		chunk = utf8.AppendRune(nil, rune(c))
	case tokOpaque:
		n, err := d.mbUint32()
		if err != nil {
			return err
		}
		if chunk, err = d.take(n); err != nil {
			return err
		}
		kind = 'o'
	}
	if len(f.node.Children) > 0 {
		return &SyntaxError{Offset: start, Msg: "content after child elements in " + f.node.Name}
	}
	if kind == 't' && len(chunk) == 0 {
		return nil // an empty string adds nothing
	}
	if f.kind != 0 && f.kind != kind {
		return &SyntaxError{Offset: start, Msg: "text and opaque data mixed in " + f.node.Name}
	}
	f.kind = kind
	switch {
	case f.buf == nil:
		f.buf = chunk
	case !f.own:
		f.buf = append(append(make([]byte, 0, len(f.buf)+len(chunk)), f.buf...), chunk...)
		f.own = true
	default:
		f.buf = append(f.buf, chunk...)
	}
	return nil
}

// finish stores the content of a closed element in its node.
func (d *decoder) finish(f *frame) {
	switch f.kind {
	case 't':
		f.node.Text = validText(f.buf)
	case 'o':
		if f.own || !d.copyOpaque {
			f.node.Opaque = f.buf
		} else {
			f.node.Opaque = append(make([]byte, 0, len(f.buf)), f.buf...)
		}
	}
}
