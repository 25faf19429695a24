package wbxml

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder: it must not panic, and
// whatever it accepts must encode, and decode again to the same tree.
func FuzzDecode(f *testing.F) {
	for _, raw := range corpus(f) {
		tree, err := ParseXML(raw)
		if err != nil {
			f.Fatal(err)
		}
		b, err := Marshal(tree)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, c := range specCases {
		f.Add(c.bytes)
	}
	for _, c := range featureCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Unmarshal(data)
		if err != nil {
			return
		}
		b, err := Marshal(n)
		if err != nil {
			t.Fatalf("decoded tree does not encode: %v\n%s", err, n)
		}
		m, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("re-encoded tree does not decode: %v\n% X", err, b)
		}
		if !m.Equal(n) {
			t.Fatalf("round trip changed the tree:\n%s\nbecame\n%s", n, m)
		}
		if b2, _ := Marshal(m); !bytes.Equal(b, b2) {
			t.Fatalf("encoding is not stable:\n% X\n% X", b, b2)
		}
	})
}

// FuzzParseXML: ParseXML must not panic, and what it accepts must survive
// WBXML and the XML form unchanged.
func FuzzParseXML(f *testing.F) {
	for _, raw := range corpus(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseXML(data)
		if err != nil {
			return
		}
		b, err := Marshal(n)
		if err != nil {
			t.Fatalf("parsed tree does not encode: %v\n%s", err, n)
		}
		if m, err := Unmarshal(b); err != nil || !m.Equal(n) {
			t.Fatalf("WBXML round trip: %v\n%s\nbecame\n%s", err, n, m)
		}
		if m, err := ParseXML([]byte(n.XML())); err != nil || !m.Equal(n) {
			t.Fatalf("XML round trip: %v\n%s\nbecame\n%s", err, n, m)
		}
	})
}

// allocated runs fn a few times and returns the fewest bytes allocated in a
// run; MemStats counts the whole process, so the minimum drops the noise of
// the test runner's own goroutines.
func allocated(fn func()) uint64 {
	least := uint64(1<<64 - 1)
	for range 3 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		fn()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

func TestHostileInputsFailCheaply(t *testing.T) {
	// 100000 nested AirSync:Sync elements, each with the content flag.
	deep := withHdr(string(bytes.Repeat([]byte{0x45}, 100000)))
	// ComposeMail:Mime declaring 4 GiB - 1 of opaque data, sending 3 bytes.
	huge := withHdr(0x00, 0x15, 0x50, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F, "abc")
	// A string table declared at 4 GiB - 1.
	table := doc(0x03, 0x01, 0x6A, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F, "x")
	// A million empty elements under one root.
	flat := withHdr(0x45, string(bytes.Repeat([]byte{0x13}, 1<<20)), 0x01)

	cases := []struct {
		name     string
		in       []byte
		is       error
		msg      string
		maxAlloc uint64
	}{
		// Bounds far below what the input claims (4 GiB) or would cost
		// if decoded (100000 nodes, about 10 MB), with room for noise.
		{"deep", deep, ErrLimit, "more than 64 levels at byte 68", 256 << 10},
		{"huge opaque", huge, nil, "runs past the end", 64 << 10},
		{"huge string table", table, nil, "runs past the end", 64 << 10},
		// The element cap, not the input, bounds this one: about 100 bytes
		// per element up to DefaultMaxElements.
		{"many elements", flat, ErrLimit, "more than 262144 elements", 64 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = Unmarshal(c.in) })
			if err == nil || !strings.Contains(err.Error(), c.msg) || c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("error %v, want %q", err, c.msg)
			}
			t.Logf("%s: %d bytes allocated, error %v", c.name, n, err)
			if n > c.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", n, c.maxAlloc)
			}
		})
	}
	// A handful of small allocations (the stack, the error), none of them
	// sized by the declared length; the race detector adds one.
	if a := testing.AllocsPerRun(10, func() { _, _ = Unmarshal(huge) }); a > 8 {
		t.Errorf("huge opaque: %v allocations a run", a)
	}
}
