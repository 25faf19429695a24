package dav

import (
	"context"
	"net/http"
	"strings"

	"github.com/emersion/go-webdav"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// EAS folder types of user folders (MS-ASCMD FolderCreate).
const (
	typeUserCalendar = 13
	typeUserContacts = 14
	typeUserTasks    = 15
)

// validName: an object name the store keeps (one path segment, not too long).
func validName(name string) bool {
	return name != "" && len(name) <= 255 && !strings.ContainsAny(name, "/\\\x00")
}

// store writes a PUT: a new item, or the named one replaced, after the preconditions.
func (s *Server) store(ctx context.Context, f *store.Folder, name string, model any, summary string, m meta,
	ifMatch, ifNoneMatch webdav.ConditionalMatch) (*object, error) {
	existing, err := s.find(ctx, f, name)
	if err != nil {
		return nil, s.internal(err)
	}
	if err := checkPreconditions(ifMatch, ifNoneMatch, existing); err != nil {
		return nil, err
	}
	props, err := withMeta(model, m)
	if err != nil {
		return nil, s.internal(err)
	}
	a := accountOf(ctx)
	var it *store.Item
	if existing != nil {
		it, err = s.mb.UpdateDAVItem(ctx, a.id, existing.item.ID, m.Name, summary, props)
		markReplaced(ctx)
	} else {
		it, err = s.mb.AddDAVItem(ctx, a.id, f.ID, f.Class, m.Name, summary, props)
	}
	if err != nil {
		return nil, s.internal(err)
	}
	return newObject(it), nil
}

// createCollection makes a folder for MKCOL/MKCALENDAR at p, displayed as name (or p's last
// segment when there is none); the folder keeps the segment, so the URL the client chose
// finds it whatever its display name.
func (s *Server) createCollection(ctx context.Context, area, p, name string, typ int) error {
	d, ok := parsePath(p)
	if !ok || d.area != area || d.kind != kindCollection {
		return httpErr(http.StatusForbidden, "collections are made in the home collection")
	}
	if _, err := s.collection(ctx, area, d.folder); err == nil {
		return httpErr(http.StatusMethodNotAllowed, "the collection exists")
	}
	if strings.TrimSpace(name) == "" {
		name = d.folder
	}
	_, err := s.mb.CreateDAVFolder(ctx, accountOf(ctx).id, name, d.folder, typ)
	return s.internal(err)
}
