package wbxml

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml/libwbxmltest"
)

// corpus returns the testdata documents by file name.
func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) < 15 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

// TestLibwbxmlRoundTrip checks each corpus document both ways against
// libwbxml: our decoder on xml2wbxml's bytes, and wbxml2xml on our
// encoder's bytes, must both give the tree ParseXML reads from the file.
//
// libwbxml quirks the comparison allows for:
//   - tag names differ (libwbxmltest.Names); documents are renamed on the way in
//     and out, namespace-aware, so Calendar:Email is not Email:Email.
//   - xml2wbxml without -k trims leading and trailing whitespace of text,
//     and wbxml2xml without -k trims it on output; the corpus has none, and
//     wbxml2xml runs with -k to print text exactly.
//   - xml2wbxml turns CDATA sections into opaque data; the corpus has none.
//   - byte-array tags (ComposeMail:Mime...) are base64 in its XML, as in ours.
//   - it writes the GAL namespace as "Gal:"; ParseXML matches case-insensitively.
func TestLibwbxmlRoundTrip(t *testing.T) {
	libwbxmltest.Need(t)
	dir := t.TempDir()
	for name, raw := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			want, err := ParseXML(raw)
			if err != nil {
				t.Fatal(err)
			}

			in := filepath.Join(dir, name)
			if err := os.WriteFile(in, libwbxmltest.Rename(t, raw, libwbxmltest.ToLibwbxml), 0o600); err != nil {
				t.Fatal(err)
			}
			theirBytes := in + ".lib.wbxml"
			libwbxmltest.Run(t, "xml2wbxml", "-a", "-n", "-v", "1.3", "-o", theirBytes, in)
			lib, err := os.ReadFile(theirBytes)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Unmarshal(lib)
			if err != nil {
				t.Fatalf("decoding libwbxml's % X: %v", lib, err)
			}
			if !got.Equal(want) {
				t.Fatalf("decoded libwbxml's bytes:\n%s\nwant\n%s", got, want)
			}

			ours, err := Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			// Both encoders switch pages lazily and put content flags only
			// where there is content, so for these documents the bytes agree.
			if !bytes.Equal(ours, lib) {
				t.Errorf("bytes differ from libwbxml's:\n ours % X\n libs % X", ours, lib)
			}
			ourBytes := in + ".ours.wbxml"
			if err := os.WriteFile(ourBytes, ours, 0o600); err != nil {
				t.Fatal(err)
			}
			out := in + ".lib.xml"
			libwbxmltest.Run(t, "wbxml2xml", "-k", "-l", "ACTIVESYNC", "-m", "0", "-o", out, ourBytes)
			printed, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseXML(libwbxmltest.Rename(t, printed, libwbxmltest.FromLibwbxml))
			if err != nil {
				t.Fatalf("reading wbxml2xml's output: %v\n%s", err, printed)
			}
			if !back.Equal(want) {
				t.Fatalf("wbxml2xml of our bytes:\n%s\nwant\n%s", back, want)
			}
		})
	}
}

// TestCorpusXMLRoundTrip needs no tools: XML() and ParseXML agree.
func TestCorpusXMLRoundTrip(t *testing.T) {
	for name, raw := range corpus(t) {
		want, err := ParseXML(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if back, err := ParseXML([]byte(want.XML())); err != nil || !back.Equal(want) {
			t.Errorf("%s: ParseXML(XML()) = %v, %v", name, back, err)
		}
	}
}

func TestRenameIsNamespaceAware(t *testing.T) {
	doc := `<?xml version="1.0"?><Sync xmlns="AirSync:" xmlns:c="Calendar:"><c:Email>a</c:Email><Name xmlns="Email:"/></Sync>`
	got := string(libwbxmltest.Rename(t, []byte(doc), libwbxmltest.ToLibwbxml))
	if !strings.Contains(got, `<Attendee_Email xmlns="Calendar:">a</Attendee_Email>`) || strings.Contains(got, "Attendee_Name") {
		t.Fatalf("rename: %s", got)
	}
}
