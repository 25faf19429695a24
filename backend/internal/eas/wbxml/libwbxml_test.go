package wbxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

// needLibwbxml skips without Debian's libwbxml2-utils, except on CI where
// a missing tool must fail the build rather than hide the test.
func needLibwbxml(t *testing.T) {
	for _, tool := range []string{"xml2wbxml", "wbxml2xml"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed (apt-get install libwbxml2-utils)", tool)
			}
			t.Skipf("%s not installed (apt-get install libwbxml2-utils)", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestLibwbxmlRoundTrip checks each corpus document both ways against
// libwbxml: our decoder on xml2wbxml's bytes, and wbxml2xml on our
// encoder's bytes, must both give the tree ParseXML reads from the file.
//
// libwbxml quirks the comparison allows for:
//   - tag names differ (libwbxmlNames); documents are renamed on the way in
//     and out, namespace-aware, so Calendar:Email is not Email:Email.
//   - xml2wbxml without -k trims leading and trailing whitespace of text,
//     and wbxml2xml without -k trims it on output; the corpus has none, and
//     wbxml2xml runs with -k to print text exactly.
//   - xml2wbxml turns CDATA sections into opaque data; the corpus has none.
//   - byte-array tags (ComposeMail:Mime...) are base64 in its XML, as in ours.
//   - it writes the GAL namespace as "Gal:"; ParseXML matches case-insensitively.
func TestLibwbxmlRoundTrip(t *testing.T) {
	needLibwbxml(t)
	dir := t.TempDir()
	for name, raw := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			want, err := ParseXML(raw)
			if err != nil {
				t.Fatal(err)
			}

			in := filepath.Join(dir, name)
			if err := os.WriteFile(in, rename(t, raw, toLibwbxml), 0o600); err != nil {
				t.Fatal(err)
			}
			theirBytes := in + ".lib.wbxml"
			run(t, "xml2wbxml", "-a", "-n", "-v", "1.3", "-o", theirBytes, in)
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
			run(t, "wbxml2xml", "-k", "-l", "ACTIVESYNC", "-m", "0", "-o", out, ourBytes)
			printed, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseXML(rename(t, printed, fromLibwbxml))
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

// rename rewrites element names by namespace with encoding/xml alone, so
// the translation does not lean on the code under test. Documents without
// a name to change are returned untouched, so libwbxml reads the corpus
// files as written wherever it can.
func rename(t *testing.T, doc []byte, table map[string]string) []byte {
	t.Helper()
	var out bytes.Buffer
	changed := false
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("rename: %v", err)
		}
		switch v := tok.(type) {
		case xml.ProcInst:
			out.WriteString("<?" + v.Target + " " + string(v.Inst) + "?>")
		case xml.Directive:
			out.WriteString("<!" + string(v) + ">")
		case xml.StartElement:
			local := v.Name.Local
			if to, ok := table[renameKey(v.Name.Space, local)]; ok {
				local, changed = to, true
			}
			out.WriteString("<" + local + ` xmlns="` + v.Name.Space + `">`)
		case xml.EndElement:
			local := v.Name.Local
			if to, ok := table[renameKey(v.Name.Space, local)]; ok {
				local = to
			}
			out.WriteString("</" + local + ">")
		case xml.CharData:
			// Not xml.EscapeText: it writes newlines as &#xA;, which is
			// not allowed between the prolog and the root.
			out.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;").Replace(string(v)))
		}
	}
	if !changed {
		return doc
	}
	return out.Bytes()
}

func TestRenameIsNamespaceAware(t *testing.T) {
	doc := `<?xml version="1.0"?><Sync xmlns="AirSync:" xmlns:c="Calendar:"><c:Email>a</c:Email><Name xmlns="Email:"/></Sync>`
	got := string(rename(t, []byte(doc), toLibwbxml))
	if !strings.Contains(got, `<Attendee_Email xmlns="Calendar:">a</Attendee_Email>`) || strings.Contains(got, "Attendee_Name") {
		t.Fatalf("rename: %s", got)
	}
}
