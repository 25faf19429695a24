package dav

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
)

// proppatch sets a collection's displayname (renaming a user folder, as FolderUpdate does);
// other properties are refused (403 in the multistatus, the rest 424, as RFC 4918 9.2 has a
// PROPPATCH all or nothing).
func (s *Server) proppatch(w http.ResponseWriter, r *http.Request, p davPath) {
	ctx := r.Context()
	a := accountOf(ctx)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	var body struct {
		Set []struct {
			Prop struct {
				Any []struct {
					XMLName xml.Name
					Text    string `xml:",chardata"`
				} `xml:",any"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: set"`
		Remove []struct {
			Prop propList `xml:"DAV: prop"`
		} `xml:"DAV: remove"`
	}
	if err := xml.Unmarshal(data, &body); err != nil {
		http.Error(w, "bad PROPPATCH body: "+err.Error(), http.StatusBadRequest)
		return
	}
	f, err := s.collection(ctx, p.area, p.folder)
	if err != nil {
		serveErr(w, s.internal(err))
		return
	}
	newName := ""
	var refused, all []xml.Name
	for _, set := range body.Set {
		for _, pr := range set.Prop.Any {
			all = append(all, pr.XMLName)
			if pr.XMLName == dn("displayname") && strings.TrimSpace(pr.Text) != "" {
				newName = strings.TrimSpace(pr.Text)
			} else {
				refused = append(refused, pr.XMLName)
			}
		}
	}
	for _, rm := range body.Remove {
		names := rm.Prop.names()
		all = append(all, names...)
		refused = append(refused, names...)
	}
	if len(refused) == 0 && newName != "" && newName != f.DisplayName {
		if err := s.mb.UpdateFolder(ctx, a.id, f.ID, f.ParentID, newName); err != nil {
			refused = append(refused, dn("displayname"))
		}
	}
	ms := newMultistatus()
	ms.raw("<d:response><d:href>" + hrefText(requestedPath(p, a.email)) + "</d:href>")
	status := func(names []xml.Name, code string) {
		if len(names) == 0 {
			return
		}
		ms.raw("<d:propstat><d:prop>")
		for _, n := range names {
			ms.raw(element(n, ""))
		}
		ms.raw("</d:prop><d:status>HTTP/1.1 " + code + "</d:status></d:propstat>")
	}
	if len(refused) == 0 {
		status(all, "200 OK")
	} else {
		status(refused, "403 Forbidden")
		var rest []xml.Name
		for _, n := range all {
			if !containsName(refused, n) {
				rest = append(rest, n)
			}
		}
		status(rest, "424 Failed Dependency")
	}
	ms.raw("</d:response>")
	ms.send(w)
}

func containsName(list []xml.Name, n xml.Name) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}
