package wbxml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// WBXML global tokens (WBXML 1.3 section 7.1) and tag flags (5.8.2).
const (
	tokSwitchPage = 0x00
	tokEnd        = 0x01
	tokEntity     = 0x02
	tokStrI       = 0x03
	tokStrT       = 0x83
	tokOpaque     = 0xC3
	flagContent   = 0x40
	flagAttrs     = 0x80
	charsetUTF8   = 106 // IANA MIBenum, the only charset MS-ASWBXML uses
)

// Defaults for Limits whose fields are zero. EAS documents nest about a dozen
// levels deep; the element cap keeps a body of empty tags (one byte each, a
// hundred bytes as a Node) from costing more than about 30 MB.
const (
	DefaultMaxDepth    = 64
	DefaultMaxElements = 1 << 18
	// maxEncodeDepth bounds recursion everywhere (encoding, Equal, XML), so
	// a cyclic or absurd hand-built tree fails instead of exhausting the stack.
	maxEncodeDepth = 1024
)

var (
	// ErrEmpty is returned for a body of zero bytes, which is not a
	// document but means something in EAS: an empty Sync or Ping request
	// repeats the previous one (MS-ASCMD 2.2.1.21, 2.2.1.13).
	ErrEmpty = errors.New("wbxml: empty body")
	// ErrTooLarge is returned by Decode when the body exceeds its cap.
	ErrTooLarge = errors.New("wbxml: document exceeds the size limit")
	// ErrLimit is wrapped by errors for documents nested too deep or with
	// too many elements.
	ErrLimit = errors.New("wbxml: document exceeds a decoding limit")
)

// SyntaxError reports malformed WBXML, or WBXML that uses what ActiveSync
// does not (attributes, literal tags, unknown tokens).
type SyntaxError struct {
	Offset int // byte offset in the document
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("wbxml: %s at byte %d", e.Msg, e.Offset) }

// Limits bound what decoding a document may cost; zero fields take the defaults.
type Limits struct {
	MaxDepth    int // nesting depth, the root element being at depth 1; at most 1024
	MaxElements int // elements in the document
}

// Unmarshal decodes a document with the default limits. The tree does not
// refer to data afterwards.
func Unmarshal(data []byte) (*Node, error) { return Limits{}.Unmarshal(data) }

// Unmarshal decodes a document within l.
func (l Limits) Unmarshal(data []byte) (*Node, error) {
	return l.decode(data, true)
}

// Decode reads a whole document of at most maxBytes bytes from r and decodes
// it with the default limits; a longer body gives ErrTooLarge without being
// read beyond maxBytes+1 bytes.
func Decode(r io.Reader, maxBytes int64) (*Node, error) {
	if maxBytes <= 0 || maxBytes == math.MaxInt64 {
		return nil, errors.New("wbxml: Decode needs a positive, finite size cap")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, ErrTooLarge
	}
	// data is ours, so opaque content may keep pointing into it.
	return Limits{}.decode(data, false)
}

func (l Limits) decode(data []byte, copyOpaque bool) (*Node, error) {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	l.MaxDepth = min(l.MaxDepth, maxEncodeDepth)
	if l.MaxElements <= 0 {
		l.MaxElements = DefaultMaxElements
	}
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	d := decoder{data: data, lim: l, copyOpaque: copyOpaque}
	return d.document()
}

type decoder struct {
	data       []byte
	pos        int
	lim        Limits
	copyOpaque bool
	strtbl     []byte
}

func (d *decoder) fail(format string, args ...any) error {
	return &SyntaxError{Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) byte() (byte, error) {
	if d.pos >= len(d.data) {
		return 0, d.fail("unexpected end of document")
	}
	b := d.data[d.pos]
	d.pos++
	return b, nil
}

// mbUint32 reads a WBXML multi-byte integer: 7 bits a byte, high bit set
// on all but the last, at most 32 bits of value (WBXML 1.3 section 5.1).
func (d *decoder) mbUint32() (uint32, error) {
	var v uint64
	for i := 0; i < 5; i++ {
		b, err := d.byte()
		if err != nil {
			return 0, err
		}
		v = v<<7 | uint64(b&0x7F)
		if b&0x80 == 0 {
			if v > math.MaxUint32 {
				return 0, d.fail("multi-byte integer over 32 bits")
			}
			return uint32(v), nil
		}
	}
	return 0, d.fail("multi-byte integer longer than 5 bytes")
}

// take returns the next n bytes, checking n against what is left before
// anything is allocated, so a forged length cannot cost memory.
func (d *decoder) take(n uint32) ([]byte, error) {
	if uint64(n) > uint64(len(d.data)-d.pos) {
		return nil, d.fail("length %d runs past the end of the document", n)
	}
	b := d.data[d.pos : d.pos+int(n) : d.pos+int(n)]
	d.pos += int(n)
	return b, nil
}

// header reads version, public identifier, charset and string table.
func (d *decoder) header() error {
	v, err := d.byte()
	if err != nil {
		return err
	}
	// WBXML 1.1 to 1.3 share this grammar; 1.0 lacks the charset.
	if v < 0x01 || v > 0x03 {
		return d.fail("unsupported WBXML version %#x", v)
	}
	pub, err := d.mbUint32()
	if err != nil {
		return err
	}
	if pub == 0 { // the public identifier is a string table reference
		if _, err := d.mbUint32(); err != nil {
			return err
		}
	}
	cs, err := d.mbUint32()
	if err != nil {
		return err
	}
	if cs != charsetUTF8 {
		return d.fail("charset %d is not UTF-8", cs)
	}
	n, err := d.mbUint32()
	if err != nil {
		return err
	}
	// ActiveSync sends no string table, but WBXML allows one; it is kept
	// for STR_T references.
	d.strtbl, err = d.take(n)
	return err
}

// cstring reads a NUL-terminated string from b starting at off.
func cstring(b []byte, off int) ([]byte, bool) {
	if i := bytes.IndexByte(b[off:], 0); i >= 0 {
		return b[off : off+i], true
	}
	return nil, false
}

// validText turns decoded bytes into text; invalid UTF-8 is replaced rather
// than refused, since rejecting a whole Sync over one bad subject byte helps
// nobody, and the tree must stay encodable.
func validText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
