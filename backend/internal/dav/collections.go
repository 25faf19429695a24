package dav

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/emersion/go-webdav"
)

// mkcalendar makes a Calendar folder, or a Tasks folder when the body asks for VTODO only.
func (s *Server) mkcalendar(w http.ResponseWriter, r *http.Request, p davPath) {
	var body struct {
		Set struct {
			Prop struct {
				DisplayName string `xml:"DAV: displayname"`
				CompSet     struct {
					Comp []struct {
						Name string `xml:"name,attr"`
					} `xml:"urn:ietf:params:xml:ns:caldav comp"`
				} `xml:"urn:ietf:params:xml:ns:caldav supported-calendar-component-set"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: set"`
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := xml.Unmarshal(data, &body); err != nil {
			http.Error(w, "bad MKCALENDAR body: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	typ := typeUserCalendar
	comps := body.Set.Prop.CompSet.Comp
	if len(comps) > 0 {
		events, todos := false, false
		for _, c := range comps {
			switch strings.ToUpper(c.Name) {
			case "VEVENT":
				events = true
			case "VTODO":
				todos = true
			}
		}
		switch {
		case todos && !events:
			typ = typeUserTasks
		case !events:
			davError(w, http.StatusForbidden, nsCalDAV, "supported-calendar-component", "calendars hold VEVENT or VTODO")
			return
		}
	}
	if err := s.createCollection(r.Context(), areaCalendars, r.URL.Path, body.Set.Prop.DisplayName, typ); err != nil {
		serveErr(w, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// deleteCollection removes a user folder; the default ones are 403.
func (s *Server) deleteCollection(w http.ResponseWriter, r *http.Request, p davPath) {
	f, err := s.collection(r.Context(), p.area, p.folder)
	if err == nil {
		err = s.mb.DeleteFolder(r.Context(), accountOf(r.Context()).id, f.ID)
	}
	if err != nil {
		serveErr(w, s.internal(err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteObject removes an item, after If-Match.
func (s *Server) deleteObject(w http.ResponseWriter, r *http.Request, p davPath) {
	ctx := r.Context()
	o, err := s.existing(ctx, p)
	if err != nil {
		serveErr(w, err)
		return
	}
	if err := checkPreconditions(webdav.ConditionalMatch(r.Header.Get("If-Match")), "", o); err != nil {
		serveErr(w, err)
		return
	}
	if err := s.mb.Delete(ctx, accountOf(ctx).id, o.item.ID); err != nil {
		serveErr(w, s.internal(err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// getCard answers GET of a vCard here rather than in go-webdav, whose encoder escapes the
// comma of a 4.0 PHOTO data: URI (encodeVCard does not).
func (s *Server) getCard(w http.ResponseWriter, r *http.Request, p davPath) {
	ctx := r.Context()
	o, err := s.existing(ctx, p)
	if err != nil {
		serveErr(w, err)
		return
	}
	card, err := o.card()
	var text []byte
	if err == nil {
		text, err = encodeVCard(card)
	}
	if err != nil {
		serveErr(w, s.internal(err))
		return
	}
	w.Header().Set("Content-Type", "text/vcard; charset=utf-8")
	w.Header().Set("ETag", `"`+o.etag()+`"`)
	w.Header().Set("Last-Modified", o.item.UpdatedAt.UTC().Format(http.TimeFormat))
	w.Header().Set("Content-Length", strconv.Itoa(len(text)))
	if r.Method == http.MethodGet {
		_, _ = w.Write(text)
	}
}

// existing is the object p names in its collection; errNotFound when there is none.
func (s *Server) existing(ctx context.Context, p davPath) (*object, error) {
	f, err := s.collection(ctx, p.area, p.folder)
	if err != nil {
		return nil, s.internal(err)
	}
	o, err := s.find(ctx, f, p.name)
	if err != nil {
		return nil, s.internal(err)
	}
	if o == nil {
		return nil, errNotFound
	}
	return o, nil
}
