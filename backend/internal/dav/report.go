package dav

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// report serves sync-collection here and hands the other REPORTs to go-webdav.
func (s *Server) report(w http.ResponseWriter, r *http.Request, p davPath) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	var root struct {
		XMLName   xml.Name
		SyncToken string    `xml:"DAV: sync-token"`
		SyncLevel string    `xml:"DAV: sync-level"`
		Prop      *propList `xml:"DAV: prop"`
		Limit     *struct {
			NResults string `xml:"DAV: nresults"`
		} `xml:"DAV: limit"`
	}
	if err := xml.Unmarshal(data, &root); err != nil {
		http.Error(w, "bad REPORT body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if root.XMLName == dn("sync-collection") {
		var names []xml.Name
		if root.Prop != nil {
			names = root.Prop.names()
		}
		limit := maxItems
		if root.Limit != nil {
			n, err := strconv.Atoi(strings.TrimSpace(root.Limit.NResults))
			if err != nil || n < 1 {
				http.Error(w, "bad REPORT body: DAV:limit needs a positive DAV:nresults", http.StatusBadRequest)
				return
			}
			limit = min(n, maxItems)
		}
		s.syncCollection(w, r, p, strings.TrimSpace(root.SyncToken), strings.TrimSpace(root.SyncLevel), names, limit)
		return
	}
	if p.kind == kindHome {
		http.Error(w, "REPORTs are for collections", http.StatusForbidden)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	if r.Header.Get("Content-Type") == "" { // go-webdav insists; the body was XML above
		r.Header.Set("Content-Type", "application/xml")
	}
	s.pass(w, r, p)
}

// syncCollection answers RFC 6578: the members changed since the token (all of them for an
// empty token), the removed ones as 404, and the new token. At most limit changes are sent (the
// client's DAV:limit, else maxItems): when more are waiting, the answer is truncated as RFC
// 6578 3.6 says, with a 507 for the collection and the token of the last change sent, so the
// client's next request continues exactly there (ModSeqs are unique within a folder).
func (s *Server) syncCollection(w http.ResponseWriter, r *http.Request, p davPath, token, level string, names []xml.Name, limit int) {
	ctx := r.Context()
	a := accountOf(ctx)
	if p.kind != kindCollection {
		http.Error(w, "sync-collection is for a collection", http.StatusForbidden)
		return
	}
	if level != "" && level != "1" {
		davError(w, http.StatusForbidden, nsDAV, "number-of-matches-within-limits", "only sync-level 1 is supported")
		return
	}
	f, err := s.collection(ctx, p.area, p.folder)
	if err != nil {
		serveErr(w, s.internal(err))
		return
	}
	var since int64
	if token != "" {
		seq, ok := parseSyncToken(token, f.ID)
		if !ok || seq > f.LastSeq {
			davError(w, http.StatusForbidden, nsDAV, "valid-sync-token", "unknown or outdated sync-token: sync again from scratch")
			return
		}
		since = seq
	}
	items, err := s.mb.Changes(ctx, f.ID, since, limit+1)
	if err != nil {
		serveErr(w, s.internal(err))
		return
	}
	if names == nil {
		names = []xml.Name{dn("getetag")}
	}
	base := requestedPath(p, a.email)
	ms := newMultistatus()
	last := f.LastSeq
	truncated := len(items) > limit
	if truncated {
		items = items[:limit]
		last = items[limit-1].ModSeq
	}
	for i := range items {
		it := &items[i]
		if !truncated && it.ModSeq > last {
			last = it.ModSeq
		}
		if it.AccountID != a.id {
			continue
		}
		o := newObject(it)
		if it.Deleted {
			if since > 0 { // a fresh client has nothing to remove
				ms.gone(base + o.name) // tombstones keep their Props, so the name
			}
			continue
		}
		ms.add(resource{href: base + o.name, props: s.objectProps(p.area, o)}, names, false)
	}
	if truncated {
		ms.raw("<d:response><d:href>" + hrefText(base) + "</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status>" +
			"<d:error><d:number-of-matches-within-limits/></d:error></d:response>")
	}
	ms.raw("<d:sync-token>" + escapeText(tokenOf(f.ID, last)) + "</d:sync-token>")
	ms.send(w)
}

func parseSyncToken(token string, folderID uint64) (int64, bool) {
	rest, ok := strings.CutPrefix(token, "urn:x-tessera:sync:")
	if !ok {
		return 0, false
	}
	fid, seq, ok := strings.Cut(rest, ":")
	if !ok || fid != strconv.FormatUint(folderID, 10) {
		return 0, false
	}
	n, err := strconv.ParseInt(seq, 10, 64)
	return n, err == nil && n >= 0
}
