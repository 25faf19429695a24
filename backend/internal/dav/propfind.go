package dav

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func dn(local string) xml.Name   { return xml.Name{Space: nsDAV, Local: local} }
func cdn(local string) xml.Name  { return xml.Name{Space: nsCalDAV, Local: local} }
func crdn(local string) xml.Name { return xml.Name{Space: nsCardDAV, Local: local} }

func fixed(s string) propFunc { return func() (string, bool) { return s, true } }

func hrefs(paths ...string) string {
	s := ""
	for _, p := range paths {
		s += "<d:href>" + hrefText(p) + "</d:href>"
	}
	return s
}

const privileges = "<d:privilege><d:read/></d:privilege><d:privilege><d:write/></d:privilege>" +
	"<d:privilege><d:write-content/></d:privilege><d:privilege><d:write-properties/></d:privilege>" +
	"<d:privilege><d:bind/></d:privilege><d:privilege><d:unbind/></d:privilege>" +
	"<d:privilege><d:read-current-user-privilege-set/></d:privilege>"

// accountProps are what every resource of the account answers.
func accountProps(a account) map[xml.Name]propFunc {
	return map[xml.Name]propFunc{
		dn("current-user-principal"):     fixed(hrefs(principalPath(a.email))),
		dn("owner"):                      fixed(hrefs(principalPath(a.email))),
		dn("current-user-privilege-set"): fixed(privileges),
		cdn("calendar-home-set"):         fixed(hrefs(homePath(areaCalendars, a.email))),
		crdn("addressbook-home-set"):     fixed(hrefs(homePath(areaAddressBooks, a.email))),
		cdn("calendar-user-address-set"): fixed(hrefs("mailto:"+a.email) + hrefs(principalPath(a.email))),
		dn("principal-URL"):              fixed(hrefs(principalPath(a.email))),
		dn("principal-collection-set"):   fixed(hrefs(Prefix + "/" + areaPrincipals + "/")),
		dn("supported-report-set"):       fixed(""),
		dn("resourcetype"):               fixed("<d:collection/>"),
		dn("displayname"):                fixed(escapeText(a.email)),
	}
}

// servePrincipal answers PROPFIND on /dav/ and on the principal: where the home sets are.
func (s *Server) servePrincipal(w http.ResponseWriter, r *http.Request, a account) {
	if r.Method != "PROPFIND" {
		w.Header().Set("Allow", "OPTIONS, PROPFIND")
		http.Error(w, "method not allowed here", http.StatusMethodNotAllowed)
		return
	}
	req, err := readPropRequest(r.Body)
	if err != nil {
		http.Error(w, "bad PROPFIND body: "+err.Error(), http.StatusBadRequest)
		return
	}
	props := accountProps(a)
	p, _ := parsePath(r.URL.Path)
	href := Prefix + "/"
	if p.kind == kindPrincipal {
		href = principalPath(a.email)
		props[dn("resourcetype")] = fixed("<d:collection/><d:principal/>")
	}
	ms := newMultistatus()
	ms.add(resource{href: href, props: props}, req.names, req.namesOnly)
	ms.send(w)
}

// syncToken is a collection's RFC 6578 token: its folder and change sequence.
func syncToken(f *store.Folder) string { return tokenOf(f.ID, f.LastSeq) }

func tokenOf(folderID uint64, seq int64) string {
	return fmt.Sprintf("urn:x-tessera:sync:%d:%d", folderID, seq)
}

// collectionProps are a calendar's or address book's properties.
func (s *Server) collectionProps(a account, area string, f *store.Folder) map[xml.Name]propFunc {
	props := accountProps(a)
	props[dn("displayname")] = fixed(escapeText(f.DisplayName))
	props[dn("sync-token")] = fixed(escapeText(syncToken(f)))
	props[xml.Name{Space: nsCS, Local: "getctag"}] = fixed(strconv.FormatInt(f.LastSeq, 10))
	props[dn("getetag")] = fixed(escapeText(fmt.Sprintf(`"c%d-%d"`, f.ID, f.LastSeq)))
	props[dn("getlastmodified")] = fixed(f.UpdatedAt.UTC().Format(http.TimeFormat))
	max := fixed(strconv.Itoa(MaxBody))
	report := func(ns, name string) string {
		return fmt.Sprintf("<d:supported-report><d:report>%s</d:report></d:supported-report>", element(xml.Name{Space: ns, Local: name}, ""))
	}
	if area == areaCalendars {
		comp := "VEVENT"
		if f.Class == mailbox.ClassTasks {
			comp = "VTODO"
		}
		props[dn("resourcetype")] = fixed("<d:collection/><c:calendar/>")
		props[cdn("supported-calendar-component-set")] = fixed(`<c:comp name="` + comp + `"/>`)
		props[cdn("supported-calendar-data")] = fixed(`<c:calendar-data content-type="text/calendar" version="2.0"/>`)
		props[cdn("max-resource-size")] = max
		props[dn("supported-report-set")] = fixed(report(nsCalDAV, "calendar-query") + report(nsCalDAV, "calendar-multiget") + report(nsDAV, "sync-collection"))
	} else {
		props[dn("resourcetype")] = fixed("<d:collection/><card:addressbook/>")
		props[crdn("supported-address-data")] = fixed(`<card:address-data-type content-type="text/vcard" version="3.0"/><card:address-data-type content-type="text/vcard" version="4.0"/>`)
		props[crdn("max-resource-size")] = max
		props[dn("supported-report-set")] = fixed(report(nsCardDAV, "addressbook-query") + report(nsCardDAV, "addressbook-multiget") + report(nsDAV, "sync-collection"))
	}
	return props
}

// objectProps are an object's properties; its text is made only when asked for.
func (s *Server) objectProps(area string, o *object) map[xml.Name]propFunc {
	var text []byte
	render := func() bool {
		if text != nil {
			return true
		}
		var err error
		if area == areaCalendars {
			cal, err2 := o.calendar()
			if err2 == nil {
				text, err = encodeICal(cal)
			} else {
				err = err2
			}
		} else {
			card, err2 := o.card()
			if err2 == nil {
				text, err = encodeVCard(card)
			} else {
				err = err2
			}
		}
		if err != nil {
			s.log.Error("dav: render item", "id", o.item.ID, "err", err)
			return false
		}
		return true
	}
	ctype := "text/calendar; charset=utf-8; component=vevent"
	switch o.item.Class {
	case mailbox.ClassTasks:
		ctype = "text/calendar; charset=utf-8; component=vtodo"
	case mailbox.ClassContacts:
		ctype = "text/vcard; charset=utf-8"
	}
	data := func() (string, bool) {
		if !render() {
			return "", false
		}
		return escapeText(string(text)), true
	}
	props := map[xml.Name]propFunc{
		dn("getetag"):         fixed(escapeText(`"` + o.etag() + `"`)),
		dn("getcontenttype"):  fixed(ctype),
		dn("getlastmodified"): fixed(o.item.UpdatedAt.UTC().Format(http.TimeFormat)),
		dn("resourcetype"):    fixed(""),
		dn("getcontentlength"): func() (string, bool) {
			if !render() {
				return "", false
			}
			return strconv.Itoa(len(text)), true
		},
	}
	if area == areaCalendars {
		props[cdn("calendar-data")] = data
	} else {
		props[crdn("address-data")] = data
	}
	return props
}

// propfindCollections answers PROPFIND on a home set (depth 1: its collections) and on a
// collection (depth 1: its objects).
func (s *Server) propfindCollections(w http.ResponseWriter, r *http.Request, p davPath) {
	ctx := r.Context()
	a := accountOf(ctx)
	req, err := readPropRequest(r.Body)
	if err != nil {
		http.Error(w, "bad PROPFIND body: "+err.Error(), http.StatusBadRequest)
		return
	}
	deep := r.Header.Get("Depth") != "0"
	ms := newMultistatus()
	allExceptData := req.names
	if p.kind == kindHome {
		props := accountProps(a)
		ms.add(resource{href: homePath(p.area, a.email), props: props}, req.names, req.namesOnly)
		if deep {
			fs, err := s.collections(ctx, p.area)
			if err != nil {
				serveErr(w, s.internal(err))
				return
			}
			for i := range fs {
				f, err := s.mb.Folder(ctx, a.id, fs[i].ID)
				if err != nil {
					serveErr(w, s.internal(err))
					return
				}
				ms.add(resource{href: collectionPath(p.area, a.email, f), props: s.collectionProps(a, p.area, f)}, req.names, req.namesOnly)
			}
		}
		ms.send(w)
		return
	}
	f, err := s.collection(ctx, p.area, p.folder)
	if err != nil {
		serveErr(w, s.internal(err))
		return
	}
	ms.add(resource{href: requestedPath(p, a.email), props: s.collectionProps(a, p.area, f)}, req.names, req.namesOnly)
	if deep {
		objs, err := s.objects(ctx, f)
		if err != nil {
			serveErr(w, s.internal(err))
			return
		}
		if allExceptData == nil { // allprop leaves out the objects' data (RFC 4791 9.6)
			allExceptData = []xml.Name{dn("getetag"), dn("getcontenttype"), dn("getlastmodified"), dn("resourcetype")}
		}
		for _, o := range objs {
			ms.add(resource{href: requestedPath(p, a.email) + o.name, props: s.objectProps(p.area, o)}, allExceptData, req.namesOnly)
		}
	}
	ms.send(w)
}

// serveErr writes an error made by httpErr (or a 500).
func serveErr(w http.ResponseWriter, err error) {
	code := statusOf(err)
	if code == 0 {
		code = http.StatusInternalServerError
	}
	msg := http.StatusText(code)
	var se *statusErr
	if errors.As(err, &se) {
		msg = se.msg
	}
	http.Error(w, msg, code)
}
