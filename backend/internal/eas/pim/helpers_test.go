package pim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// codec dispatches a class's Decode and Encode behind one shape.
type codec struct {
	decode func(*wbxml.Node) (any, error)
	encode func(v any, version string, truncation int64) []*wbxml.Node
}

var codecs = map[string]codec{
	ClassContacts: {
		func(n *wbxml.Node) (any, error) { return DecodeContact(n) },
		func(v any, ver string, tr int64) []*wbxml.Node { return EncodeContact(v.(*Contact), ver, tr) },
	},
	ClassCalendar: {
		func(n *wbxml.Node) (any, error) { return DecodeEvent(n) },
		func(v any, ver string, tr int64) []*wbxml.Node { return EncodeEvent(v.(*Event), ver, tr) },
	},
	ClassTasks: {
		func(n *wbxml.Node) (any, error) { return DecodeTask(n) },
		func(v any, ver string, tr int64) []*wbxml.Node { return EncodeTask(v.(*Task), ver, tr) },
	},
	ClassNotes: {
		func(n *wbxml.Node) (any, error) { return DecodeNote(n) },
		func(v any, ver string, tr int64) []*wbxml.Node { return EncodeNote(v.(*Note), ver, tr) },
	},
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseXML(t testing.TB, doc []byte) *wbxml.Node {
	t.Helper()
	n, err := wbxml.ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// appData finds the first AirSync:ApplicationData under root, which is a
// Sync request's Commands/Add or Change.
func appData(t testing.TB, root *wbxml.Node) *wbxml.Node {
	t.Helper()
	var find func(*wbxml.Node) *wbxml.Node
	find = func(n *wbxml.Node) *wbxml.Node {
		if n.Name == "AirSync:ApplicationData" {
			return n
		}
		for _, c := range n.Children {
			if f := find(c); f != nil {
				return f
			}
		}
		return nil
	}
	ad := find(root)
	if ad == nil {
		t.Fatalf("no ApplicationData in\n%s", root)
	}
	return ad
}

func wrap(nodes []*wbxml.Node) *wbxml.Node { return wbxml.New("AirSync:ApplicationData", nodes...) }

// canon is an element in a form that ignores child order: EAS reads the
// properties of an item by name, and so do these codecs.
func canon(n *wbxml.Node) string {
	kids := make([]string, len(n.Children))
	for i, c := range n.Children {
		kids[i] = canon(c)
	}
	sort.Strings(kids)
	content := strconv.Quote(n.Text)
	if n.Opaque != nil {
		content = "opaque:" + strconv.Quote(string(n.Opaque))
	}
	return n.Name + "=" + content + "{" + strings.Join(kids, ",") + "}"
}

// same fails unless got and want are deeply equal, and shows both as
// JSON, which makes the difference readable.
func same(t testing.TB, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("got\n%s\nwant\n%s", g, w)
	}
}
