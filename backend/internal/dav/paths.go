package dav

import (
	"fmt"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// The URL layout (see doc.go).
const (
	areaPrincipals   = "principals"
	areaCalendars    = "calendars"
	areaAddressBooks = "addressbooks"
)

type pathKind int

const (
	kindRoot pathKind = iota
	kindPrincipal
	kindHome
	kindCollection
	kindObject
)

type davPath struct {
	kind   pathKind
	area   string
	email  string
	folder string // the collection's segment
	name   string // the object's name
}

// parsePath reads a request path under Prefix.
func parsePath(p string) (davPath, bool) {
	rest, ok := strings.CutPrefix(p, Prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		return davPath{}, false
	}
	var segs []string
	for _, s := range strings.Split(rest, "/") {
		if s == "." || s == ".." {
			return davPath{}, false
		}
		if s != "" {
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		return davPath{kind: kindRoot}, true
	}
	d := davPath{area: segs[0]}
	switch {
	case segs[0] == areaPrincipals && len(segs) == 2:
		d.kind, d.email = kindPrincipal, segs[1]
	case (segs[0] == areaCalendars || segs[0] == areaAddressBooks) && len(segs) >= 2 && len(segs) <= 4:
		d.email = segs[1]
		d.kind = kindHome + pathKind(len(segs)-2)
		if len(segs) >= 3 {
			d.folder = segs[2]
		}
		if len(segs) == 4 {
			d.name = segs[3]
		}
	default:
		return davPath{}, false
	}
	return d, true
}

func principalPath(email string) string {
	return fmt.Sprintf("%s/%s/%s/", Prefix, areaPrincipals, email)
}
func homePath(area, email string) string { return fmt.Sprintf("%s/%s/%s/", Prefix, area, email) }

// requestedPath is a collection's path as the request named it (its id or its name), so that
// answers use the client's own URLs.
func requestedPath(p davPath, email string) string { return homePath(p.area, email) + p.folder + "/" }

// collectionPath is a folder's own path: the URL segment a DAV client made it at, else its id.
func collectionPath(area, email string, f *store.Folder) string {
	if f.DAVName != "" {
		return homePath(area, email) + f.DAVName + "/"
	}
	return fmt.Sprintf("%s/%s/%s/%d/", Prefix, area, email, f.ID)
}
