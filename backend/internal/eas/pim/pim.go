package pim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/text"
)

// versionNum turns "14.1" into 141 so that element rules compare numbers.
// Anything unreadable counts as 12.1, the oldest version the server speaks,
// as MS-ASHTTP has the server assume when the header is missing.
func versionNum(v string) int {
	major, minor, ok := strings.Cut(v, ".")
	a, err1 := strconv.Atoi(major)
	b, err2 := strconv.Atoi(minor)
	if !ok || err1 != nil || err2 != nil || a < 12 || b < 0 || b > 9 {
		return 121
	}
	return a*10 + b
}

// out collects ApplicationData children in the order they are written.
type out []*wbxml.Node

// text writes name only when v is set: EAS leaves unset properties out.
func (o *out) text(name, v string) {
	if v != "" {
		*o = append(*o, wbxml.NewText(name, v))
	}
}

// always writes name even when empty, for properties the specs require.
func (o *out) always(name, v string) { *o = append(*o, wbxml.NewText(name, v)) }

func (o *out) num(name string, v int) { o.always(name, strconv.Itoa(v)) }

func (o *out) flag(name string, b bool) { o.always(name, boolText(b)) }

func (o *out) node(n *wbxml.Node) { *o = append(*o, n) }

// list writes a container of repeated items (Categories/Category,
// Children/Child) when there is at least one.
func (o *out) list(container, item string, vals []string) {
	if len(vals) == 0 {
		return
	}
	c := wbxml.New(container)
	for _, v := range vals {
		c.Add(wbxml.NewText(item, v))
	}
	o.node(c)
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// reader decodes element values and keeps the first error, so decoders
// can read field after field and check once at the end.
type reader struct{ err error }

func (r *reader) fail(n *wbxml.Node, what string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("pim: %s: %s %q: %w", n.Name, what, n.Value(), err)
	}
}

func (r *reader) num(n *wbxml.Node) int {
	s := strings.TrimSpace(n.Value())
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		r.fail(n, "number", err)
	}
	return v
}

func (r *reader) flag(n *wbxml.Node) bool {
	switch strings.TrimSpace(n.Value()) {
	case "1", "true":
		return true
	case "0", "false", "":
		return false
	}
	r.fail(n, "boolean", fmt.Errorf("want 0 or 1"))
	return false
}

// list reads the item texts of a Categories or Children container.
func list(n *wbxml.Node, item string) []string {
	items := n.All(item)
	vals := make([]string, 0, len(items))
	for _, c := range items {
		vals = append(vals, c.Value())
	}
	return vals
}

// Body types of MS-ASAIRS 2.2.2.22.
const (
	bodyText = "1"
	bodyHTML = "2"
)

// encodeBody is the AirSyncBase:Body of a PIM item: plain text, cut to
// truncation bytes on a character boundary when that is set.
// EstimatedDataSize is the whole body's size so that the device knows how
// much a fetch would bring.
func encodeBody(body string, truncation int64) *wbxml.Node {
	data, truncated := body, false
	if truncation > 0 && int64(len(body)) > truncation {
		data, truncated = text.CutBytes(body, int(truncation)), true
	}
	b := wbxml.New("AirSyncBase:Body",
		wbxml.NewText("Type", bodyText),
		wbxml.NewText("EstimatedDataSize", strconv.Itoa(len(body))))
	if truncated {
		b.Add(wbxml.NewText("Truncated", "1"))
	}
	if data != "" {
		b.Add(wbxml.NewText("Data", data))
	}
	return b
}

// decodeBody reads a device's AirSyncBase:Body. Items are kept as plain
// text, so an HTML body (Type 2, from clients that store HTML) is reduced
// to its text; RTF (Type 3) has no text form without a decompressor and
// comes out empty.
func decodeBody(n *wbxml.Node) string {
	data := n.TextOf("Data")
	switch strings.TrimSpace(n.TextOf("Type")) {
	case bodyText, "":
		return data
	case bodyHTML:
		return text.FromHTML(data)
	}
	return ""
}
