package wbxml

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// featureCases use WBXML features ActiveSync encoders rarely emit; they also
// seed FuzzDecode.
var featureCases = []struct {
	name string
	in   []byte
	want *Node
}{
	{"text in several STR_I chunks",
		withHdr(0x00, 0x07, 0x52, 0x03, "ab", 0x00, 0x03, "", 0x00, 0x03, "c", 0x00, 0x01),
		NewText("FolderHierarchy:SyncKey", "abc")},
	{"opaque in several chunks",
		withHdr(0x00, 0x15, 0x50, 0xC3, 0x02, "ab", 0xC3, 0x00, 0xC3, 0x01, "c", 0x01),
		NewOpaque("ComposeMail:Mime", []byte("abc"))},
	{"empty opaque stays opaque",
		withHdr(0x00, 0x15, 0x50, 0xC3, 0x00, 0x01),
		NewOpaque("ComposeMail:Mime", nil)},
	{"content flag with no content equals an empty element",
		withHdr(0x00, 0x07, 0x52, 0x01),
		New("FolderHierarchy:SyncKey")},
	{"string table with STR_T and a public id from it",
		doc(0x03, 0x00, 0x00, 0x6A, 0x04, "x\x00y\x00", 0x00, 0x07, 0x52, 0x83, 0x02, 0x03, "z", 0x00, 0x01),
		NewText("FolderHierarchy:SyncKey", "yz")},
	{"character entity",
		withHdr(0x00, 0x07, 0x52, 0x02, 0x81, 0x80, 0x2C, 0x01), // U+402C
		NewText("FolderHierarchy:SyncKey", "\u402C")},
	{"WBXML 1.1 header",
		doc(0x01, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x52, 0x03, "0", 0x00, 0x01),
		NewText("FolderHierarchy:SyncKey", "0")},
	{"invalid UTF-8 is replaced",
		withHdr(0x00, 0x07, 0x52, 0x03, "a\xffb", 0x00, 0x01),
		NewText("FolderHierarchy:SyncKey", "a\uFFFDb")},
	{"SWITCH_PAGE between tokens and to the same page",
		withHdr(0x00, 0x00, 0x45, 0x00, 0x07, 0x00, 0x00, 0x5C, 0x01, 0x01),
		New("AirSync:Sync", New("Collections"))},
	{"legacy token",
		withHdr(0x00, 0x03, 0x45, 0x14, 0x01),
		New("AirNotify:Notify", New("Id"))},
}

func TestDecodeWBXMLFeatures(t *testing.T) {
	for _, c := range featureCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Unmarshal(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(c.want) {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name, msg string
		in        []byte
	}{
		{"version only", "unexpected end", doc(0x03)},
		{"header only", "no root", withHdr()},
		{"WBXML 1.0", "version", doc(0x00, 0x01, 0x6A, 0x00, 0x45, 0x01)},
		{"not UTF-8", "charset", doc(0x03, 0x01, 0x04, 0x00, 0x45, 0x01)},
		{"string table past the end", "runs past", doc(0x03, 0x01, 0x6A, 0x10, "ab")},
		{"mb_u_int32 of six bytes", "longer than 5", doc(0x03, 0x01, 0x6A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)},
		{"mb_u_int32 over 32 bits", "over 32 bits", doc(0x03, 0x01, 0x6A, 0x9F, 0xFF, 0xFF, 0xFF, 0x7F)},
		{"unknown code page", "unknown code page 26", withHdr(0x00, 0x1A, 0x45, 0x01)},
		{"unknown tag", "unknown tag 0x3f on code page 0", withHdr(0x7F, 0x01)},
		{"gap in a page", "unknown tag 0x6", withHdr(0x00, 0x0F, 0x46, 0x01)},
		{"attributes", "attributes", withHdr(0xC5, 0x01, 0x01)},
		{"LITERAL tag", "unsupported token 0x4", withHdr(0x04, 0x00)},
		{"processing instruction", "unsupported token 0x43", withHdr(0x43)},
		{"EXT_I_0", "unsupported token 0x40", withHdr(0x45, 0x40, "x", 0x00, 0x01)},
		{"END at top level", "END outside", withHdr(0x01)},
		{"text at top level", "outside an element", withHdr(0x03, "x", 0x00)},
		{"unterminated string", "unterminated", withHdr(0x4B, 0x03, "abc")},
		{"unclosed element", "ends inside AirSync:Sync", withHdr(0x45, 0x5C, 0x01)},
		{"data after the root", "after the root", withHdr(0x45, 0x01, 0x45, 0x01)},
		{"switch page after the root", "after the root", withHdr(0x13, 0x00, 0x01)},
		{"element after text", "inside text", withHdr(0x45, 0x03, "x", 0x00, 0x13, 0x01)},
		{"text after element", "after child elements", withHdr(0x45, 0x13, 0x03, "x", 0x00, 0x01)},
		{"text and opaque", "mixed", withHdr(0x4B, 0x03, "x", 0x00, 0xC3, 0x01, "y", 0x01)},
		{"opaque past the end", "runs past", withHdr(0x4B, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F, "x")},
		{"NUL entity", "entity", withHdr(0x4B, 0x02, 0x00, 0x01)},
		{"surrogate entity", "entity", withHdr(0x4B, 0x02, 0x83, 0xB0, 0x00, 0x01)},
		{"STR_T without a table", "out of range", withHdr(0x4B, 0x83, 0x00, 0x01)},
		{"STR_T unterminated", "unterminated", doc(0x03, 0x01, 0x6A, 0x01, "x", 0x4B, 0x83, 0x00, 0x01)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := Unmarshal(c.in)
			if err == nil {
				t.Fatalf("decoded %s", n)
			}
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q (%T), want a SyntaxError with %q", err, err, c.msg)
			}
		})
	}
}

func TestUnmarshalCopiesOpaque(t *testing.T) {
	in := withHdr(0x00, 0x15, 0x50, 0xC3, 0x02, "ab", 0x01)
	n, err := Unmarshal(in)
	if err != nil {
		t.Fatal(err)
	}
	copy(in[len(in)-3:], "XY")
	if string(n.Opaque) != "ab" {
		t.Fatalf("opaque changed with the input: %q", n.Opaque)
	}
}

func TestDecodeReader(t *testing.T) {
	in := withHdr(0x00, 0x07, 0x56, 0x52, 0x03, "0", 0x00, 0x01, 0x01)
	n, err := Decode(bytes.NewReader(in), int64(len(in)))
	if err != nil || n.TextOf("SyncKey") != "0" {
		t.Fatalf("Decode at the cap: %v, %v", n, err)
	}
	if _, err := Decode(bytes.NewReader(in), int64(len(in)-1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Decode over the cap: %v, want ErrTooLarge", err)
	}
	if _, err := Decode(bytes.NewReader(nil), 10); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Decode of an empty body: %v, want ErrEmpty", err)
	}
	if _, err := Unmarshal(nil); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Unmarshal(nil): %v, want ErrEmpty", err)
	}
	if _, err := Decode(bytes.NewReader(in), 0); err == nil {
		t.Fatal("Decode without a cap succeeded")
	}
}

func TestLimits(t *testing.T) {
	// Seven nested Collections-like elements: fine at 7, refused at 6.
	in := withHdr(0x45, 0x5C, 0x4F, 0x56, 0x47, 0x5D, 0x00, 0x11, 0x4A, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01)
	if _, err := (Limits{MaxDepth: 7}).Unmarshal(in); err != nil {
		t.Fatalf("depth 7 under MaxDepth 7: %v", err)
	}
	if _, err := (Limits{MaxDepth: 6}).Unmarshal(in); !errors.Is(err, ErrLimit) {
		t.Fatalf("depth 7 under MaxDepth 6: %v, want ErrLimit", err)
	}
	flat := withHdr(0x45, string(bytes.Repeat([]byte{0x13}, 10)), 0x01)
	if _, err := (Limits{MaxElements: 11}).Unmarshal(flat); err != nil {
		t.Fatalf("11 elements under MaxElements 11: %v", err)
	}
	if _, err := (Limits{MaxElements: 10}).Unmarshal(flat); !errors.Is(err, ErrLimit) {
		t.Fatalf("11 elements under MaxElements 10: %v, want ErrLimit", err)
	}
}
