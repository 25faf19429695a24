package wbxml

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// XML returns the tree as indented XML for logs and tests, in the form
// libwbxml's wbxml2xml writes with "-l ACTIVESYNC": each element whose code
// page differs from its parent's declares it as the default namespace,
// xmlns="Email:". Byte-array elements (such as ComposeMail:Mime) show their
// opaque content in base64, as libwbxml does; elsewhere opaque content is
// shown in base64 with opaque="true", and text in a byte-array element with
// opaque="false", so that ParseXML gives back the same tree. Characters XML
// 1.0 cannot carry (control characters) are shown as U+FFFD.
func (n *Node) XML() string {
	var b strings.Builder
	writeXML(&b, n, "", 0)
	return b.String()
}

func writeXML(b *strings.Builder, n *Node, parentSpace string, depth int) {
	indent := strings.Repeat("  ", depth)
	if n == nil {
		b.WriteString(indent + "<!-- nil -->\n")
		return
	}
	if depth > maxEncodeDepth {
		b.WriteString(indent + "<!-- too deep -->\n")
		return
	}
	space, local := effective(n.Name, parentSpace)
	b.WriteString(indent + "<" + local)
	if space != parentSpace {
		b.WriteString(` xmlns="` + escape(space) + `:"`)
	}
	byteArray := byteArrayTags[space+":"+local]
	switch {
	case n.Opaque != nil && (!byteArray || len(n.Opaque) == 0):
		b.WriteString(` opaque="true"`)
	case n.Opaque == nil && n.Text != "" && byteArray:
		b.WriteString(` opaque="false"`)
	}
	switch {
	case n.Opaque != nil && len(n.Opaque) > 0:
		b.WriteString(">" + base64.StdEncoding.EncodeToString(n.Opaque) + "</" + local + ">\n")
	case n.Opaque == nil && n.Text != "":
		b.WriteString(">" + escape(n.Text) + "</" + local + ">\n")
	case len(n.Children) > 0:
		b.WriteString(">\n")
		for _, c := range n.Children {
			writeXML(b, c, space, depth+1)
		}
		b.WriteString(indent + "</" + local + ">\n")
	default:
		b.WriteString("/>\n")
	}
}

// escape makes s safe as XML character data or attribute value. CR is
// written as a reference because parsers turn a literal CR into LF; tabs
// and newlines stay literal for readability.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
