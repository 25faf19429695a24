package dav

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The multistatus answers this package writes itself (PROPFIND, sync-collection), as text:
// each property's value is ready XML, so the namespaces are spelled once at the top.

const (
	nsDAV     = "DAV:"
	nsCalDAV  = "urn:ietf:params:xml:ns:caldav"
	nsCardDAV = "urn:ietf:params:xml:ns:carddav"
	nsCS      = "http://calendarserver.org/ns/"
)

var prefixes = map[string]string{nsDAV: "d", nsCalDAV: "c", nsCardDAV: "card", nsCS: "cs"}

// propValue is a property's content; ok false means "not here" (404 in the propstat).
type propFunc func() (inner string, ok bool)

// resource is one response of a multistatus.
type resource struct {
	href  string
	props map[xml.Name]propFunc
}

type multistatus struct {
	b bytes.Buffer
}

func newMultistatus() *multistatus {
	m := &multistatus{}
	m.b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	m.b.WriteString(`<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/">`)
	return m
}

func escapeText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func hrefText(p string) string {
	return escapeText((&url.URL{Path: p}).EscapedPath())
}

// element writes <name>inner</name> (or an empty element) with the known prefix.
func element(n xml.Name, inner string) string {
	if p, ok := prefixes[n.Space]; ok {
		if inner == "" {
			return fmt.Sprintf("<%s:%s/>", p, n.Local)
		}
		return fmt.Sprintf("<%s:%s>%s</%s:%s>", p, n.Local, inner, p, n.Local)
	}
	if inner == "" {
		return fmt.Sprintf(`<x:%s xmlns:x="%s"/>`, n.Local, escapeText(n.Space))
	}
	return fmt.Sprintf(`<x:%s xmlns:x="%s">%s</x:%s>`, n.Local, escapeText(n.Space), inner, n.Local)
}

// add writes a response with the requested properties (all of r's when want is nil; only
// the names when namesOnly).
func (m *multistatus) add(r resource, want []xml.Name, namesOnly bool) {
	var found, missing strings.Builder
	if want == nil {
		for n := range r.props {
			want = append(want, n)
		}
	}
	for _, n := range want {
		f, ok := r.props[n]
		if !ok {
			missing.WriteString(element(n, ""))
			continue
		}
		if namesOnly {
			found.WriteString(element(n, ""))
			continue
		}
		inner, ok := f()
		if !ok {
			missing.WriteString(element(n, ""))
			continue
		}
		found.WriteString(element(n, inner))
	}
	m.b.WriteString("<d:response><d:href>" + hrefText(r.href) + "</d:href>")
	if found.Len() > 0 {
		m.b.WriteString("<d:propstat><d:prop>" + found.String() + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>")
	}
	if missing.Len() > 0 {
		m.b.WriteString("<d:propstat><d:prop>" + missing.String() + "</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>")
	}
	if found.Len() == 0 && missing.Len() == 0 {
		m.b.WriteString("<d:propstat><d:prop/><d:status>HTTP/1.1 200 OK</d:status></d:propstat>")
	}
	m.b.WriteString("</d:response>")
}

// gone writes a response for a removed member (sync-collection).
func (m *multistatus) gone(href string) {
	m.b.WriteString("<d:response><d:href>" + hrefText(href) + "</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>")
}

func (m *multistatus) raw(s string) { m.b.WriteString(s) }

func (m *multistatus) send(w http.ResponseWriter) {
	m.b.WriteString("</d:multistatus>")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	_, _ = w.Write(m.b.Bytes())
}

// propRequest is a PROPFIND or REPORT's <prop> list, or allprop/propname.
type propRequest struct {
	names     []xml.Name // nil: all
	namesOnly bool
}

// readPropRequest reads a PROPFIND body (empty: allprop).
func readPropRequest(body io.Reader) (propRequest, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return propRequest{}, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return propRequest{}, nil
	}
	var pf struct {
		XMLName  xml.Name  `xml:"DAV: propfind"`
		Prop     *propList `xml:"DAV: prop"`
		AllProp  *struct{} `xml:"DAV: allprop"`
		PropName *struct{} `xml:"DAV: propname"`
	}
	if err := xml.Unmarshal(data, &pf); err != nil {
		return propRequest{}, err
	}
	switch {
	case pf.Prop != nil:
		return propRequest{names: pf.Prop.names()}, nil
	case pf.PropName != nil:
		return propRequest{namesOnly: true}, nil
	}
	return propRequest{}, nil
}

// propList collects the element names inside <prop>.
type propList struct {
	Any []struct {
		XMLName xml.Name
	} `xml:",any"`
}

func (p *propList) names() []xml.Name {
	out := make([]xml.Name, 0, len(p.Any))
	for _, a := range p.Any {
		out = append(out, a.XMLName)
	}
	if len(out) == 0 {
		return []xml.Name{}
	}
	return out
}

func davError(w http.ResponseWriter, code int, ns, condition, why string) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<d:error xmlns:d="DAV:"><x:%s xmlns:x="%s"/><d:responsedescription>%s</d:responsedescription></d:error>`,
		condition, ns, escapeText(why))
}
