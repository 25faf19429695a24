package wbxml

import (
	"fmt"
	"strings"
)

// numPages is the count of MS-ASWBXML code pages, 0 (AirSync) to 25 (Find).
const numPages = 26

// byteArrayTags hold a byte array (MS-ASDTYPE 2.7.1), which MUST travel as
// opaque data; the XML form shows their content in base64, as libwbxml does.
var byteArrayTags = map[string]bool{
	"AirSyncBase:Content":           true,
	"ComposeMail:Mime":              true,
	"Email2:ConversationId":         true,
	"Email2:ConversationIndex":      true,
	"GAL:Data":                      true,
	"ItemOperations:ConversationId": true,
	"ResolveRecipients:Data":        true,
	"Search:ConversationId":         true,
}

var (
	pageNames [numPages]string
	// fullNames holds "Page:Tag" by page and token so that decoding shares
	// one string per tag instead of allocating a name per element.
	fullNames  [numPages][64]string
	pageByName = map[string]int{}
	tokenOf    [numPages]map[string]byte
)

func init() {
	all := append(append(append([]codePage{}, pagesA...), pagesB...), pagesC...)
	if len(all) != numPages {
		panic(fmt.Sprintf("wbxml: %d code pages, want %d", len(all), numPages))
	}
	for p, cp := range all {
		pageNames[p] = cp.name
		pageByName[cp.name] = p
		tokenOf[p] = make(map[string]byte, len(cp.tags))
		for _, t := range cp.tags {
			// 0x00-0x04 are global tokens; the top two bits are flags.
			if t.token < 0x05 || t.token > 0x3F || fullNames[p][t.token] != "" {
				panic(fmt.Sprintf("wbxml: bad or repeated token %#x on page %s", t.token, cp.name))
			}
			if _, dup := tokenOf[p][t.name]; dup || strings.Contains(t.name, ":") {
				panic(fmt.Sprintf("wbxml: bad or repeated tag %q on page %s", t.name, cp.name))
			}
			fullNames[p][t.token] = cp.name + ":" + t.name
			tokenOf[p][t.name] = t.token
		}
	}
}

// split cuts a name into namespace and local part; an unqualified name has
// no namespace and takes its parent's, like an XML default namespace.
func split(name string) (space, local string) {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// effective resolves name against the namespace of its parent.
func effective(name, parentSpace string) (space, local string) {
	space, local = split(name)
	if space == "" {
		space = parentSpace
	}
	return space, local
}

// lookup finds page and token of a tag in a namespace.
func lookup(space, local string) (page int, token byte, ok bool) {
	page, ok = pageByName[space]
	if !ok {
		return 0, 0, false
	}
	token, ok = tokenOf[page][local]
	return page, token, ok
}

// Known reports whether name ("Page:Tag") is a tag of MS-ASWBXML.
func Known(name string) bool {
	space, local := split(name)
	_, _, ok := lookup(space, local)
	return ok
}

// KnownLocal reports whether some code page has a tag named local: what can be checked of an
// unqualified name before encoding, since its page comes from its parent.
func KnownLocal(local string) bool {
	for p := range tokenOf {
		if _, ok := tokenOf[p][local]; ok {
			return true
		}
	}
	return false
}
