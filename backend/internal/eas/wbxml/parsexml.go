package wbxml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// synceURI prefixes the namespaces of libwbxml's "-l AIRSYNC" mode.
const synceURI = "http://synce.org/formats/airsync_wm5/"

// ParseXML reads a document in XML form, such as tests write and
// wbxml2xml prints, into a tree.
//
// An element's code page comes from its namespace: a default or prefixed
// xmlns declaration naming the page with or without the trailing colon
// libwbxml writes ("Email:", "Email"), a SynCE URI, or an undeclared prefix
// that is itself a page name (<email:Subject>); page names match
// case-insensitively, so libwbxml's "Gal" is GAL. An element with no
// namespace takes its parent's. Whitespace between elements is ignored;
// text in an element without children is kept as it is. Content of
// byte-array elements, or of any element marked opaque="true", is base64
// and becomes opaque data. The prolog, DOCTYPE, comments and processing
// instructions are skipped; CDATA is text.
func ParseXML(data []byte) (*Node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		root  *Node
		stack []*xmlOpen
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("wbxml: XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("wbxml: XML: second root element %s", t.Name.Local)
			}
			if len(stack) >= DefaultMaxDepth {
				return nil, fmt.Errorf("%w: XML deeper than %d levels", ErrLimit, DefaultMaxDepth)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].space
			}
			space, err := xmlSpace(t.Name.Space, parent)
			if err != nil {
				return nil, fmt.Errorf("wbxml: XML: element %s: %w", t.Name.Local, err)
			}
			page, token, ok := lookup(space, t.Name.Local)
			if !ok {
				return nil, fmt.Errorf("wbxml: XML: unknown element %s:%s", space, t.Name.Local)
			}
			o := &xmlOpen{node: &Node{Name: fullNames[page][token]}, space: space}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns":
				case a.Name.Space == "" && a.Name.Local == "opaque" && (a.Value == "true" || a.Value == "false"):
					o.opaque = a.Value
				default:
					return nil, fmt.Errorf("wbxml: XML: attribute %s on %s (ActiveSync has none)", a.Name.Local, o.node.Name)
				}
			}
			if len(stack) == 0 {
				root = o.node
			} else {
				top := stack[len(stack)-1]
				if strings.TrimSpace(top.text.String()) != "" || top.opaque != "" {
					return nil, fmt.Errorf("wbxml: XML: %s mixes text and elements", top.node.Name)
				}
				top.node.Children = append(top.node.Children, o.node)
			}
			stack = append(stack, o)
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, errors.New("wbxml: XML: text outside the root element")
				}
				continue
			}
			top := stack[len(stack)-1]
			if len(top.node.Children) > 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("wbxml: XML: %s mixes text and elements", top.node.Name)
			}
			top.text.Write(t)
		case xml.EndElement:
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if err := o.finish(); err != nil {
				return nil, err
			}
		}
	}
	if root == nil {
		return nil, errors.New("wbxml: XML: no root element")
	}
	return root, nil
}

// xmlOpen is an element whose content is still being read.
type xmlOpen struct {
	node   *Node
	space  string
	text   strings.Builder
	opaque string // the opaque attribute, "" when absent
}

func (o *xmlOpen) finish() error {
	if len(o.node.Children) > 0 {
		return nil // only whitespace was seen between the children
	}
	text := o.text.String()
	if o.opaque == "true" || o.opaque == "" && text != "" && byteArrayTags[o.node.Name] {
		// libwbxml writes one line; wrapped base64 is accepted too.
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
		if err != nil {
			return fmt.Errorf("wbxml: XML: opaque content of %s: %w", o.node.Name, err)
		}
		if b == nil {
			b = []byte{}
		}
		o.node.Opaque = b
		return nil
	}
	o.node.Text = text
	return nil
}

// xmlSpace resolves the namespace of an XML element to a code page name.
func xmlSpace(uri, parent string) (string, error) {
	if uri == "" {
		if parent == "" {
			return "", errors.New("no namespace")
		}
		return parent, nil
	}
	s := strings.TrimSuffix(strings.TrimPrefix(uri, synceURI), ":")
	if strings.EqualFold(s, "ItemEstimate") { // SynCE's name for page 6
		s = "GetItemEstimate"
	}
	for _, name := range pageNames {
		if strings.EqualFold(s, name) {
			return name, nil
		}
	}
	return "", fmt.Errorf("unknown namespace %q", uri)
}
