package dav

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/pim"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// maxItems bounds one listing of a collection.
const maxItems = 100000

// statusErr is an answer with its status; webdav.NewHTTPError carries it to go-webdav.
type statusErr struct {
	code int
	msg  string
}

func (e *statusErr) Error() string { return e.msg }

func httpErr(code int, format string, a ...any) error {
	return webdav.NewHTTPError(code, &statusErr{code, fmt.Sprintf(format, a...)})
}

// statusOf is the status of an error made by httpErr (0 for any other).
func statusOf(err error) int {
	var se *statusErr
	if errors.As(err, &se) {
		return se.code
	}
	return 0
}

var errNotFound = httpErr(http.StatusNotFound, "not found")

// classesOf is which folder classes an area shows.
func classesOf(area string) []string {
	if area == areaCalendars {
		return []string{mailbox.ClassCalendar, mailbox.ClassTasks}
	}
	return []string{mailbox.ClassContacts}
}

// collections lists the account's folders of an area.
func (s *Server) collections(ctx context.Context, area string) ([]store.Folder, error) {
	a := accountOf(ctx)
	fs, err := s.mb.FolderTree(ctx, a.id)
	if err != nil {
		return nil, err
	}
	var out []store.Folder
	for _, f := range fs {
		for _, c := range classesOf(area) {
			if f.Class == c {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// collection resolves a collection segment: the segment a DAV client made the folder at, the
// folder's id, or its display name, in that order.
func (s *Server) collection(ctx context.Context, area, seg string) (*store.Folder, error) {
	fs, err := s.collections(ctx, area)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		if fs[i].DAVName == seg {
			return s.mb.Folder(ctx, accountOf(ctx).id, fs[i].ID)
		}
	}
	if id, err := strconv.ParseUint(seg, 10, 64); err == nil {
		for i := range fs {
			if fs[i].ID == id {
				return s.mb.Folder(ctx, accountOf(ctx).id, id) // with its current LastSeq
			}
		}
	}
	for i := range fs {
		if strings.EqualFold(fs[i].DisplayName, seg) {
			return s.mb.Folder(ctx, accountOf(ctx).id, fs[i].ID)
		}
	}
	return nil, errNotFound
}

// object is one stored item as DAV sees it.
type object struct {
	item *store.Item
	meta meta
	name string
}

func (o *object) etag() string { return fmt.Sprintf("%d-%d", o.item.ID, o.item.ModSeq) }

func extension(class string) string {
	if class == mailbox.ClassContacts {
		return ".vcf"
	}
	return ".ics"
}

func newObject(it *store.Item) *object {
	o := &object{item: it, meta: readMeta(it.Props)}
	o.name = o.meta.Name
	if o.name == "" {
		o.name = strconv.FormatUint(it.ID, 10) + extension(it.Class)
	}
	return o
}

// objects lists a folder's live items.
func (s *Server) objects(ctx context.Context, f *store.Folder) ([]*object, error) {
	items, err := s.mb.Changes(ctx, f.ID, 0, maxItems)
	if err != nil {
		return nil, err
	}
	out := make([]*object, 0, len(items))
	for i := range items {
		if !items[i].Deleted && items[i].AccountID == accountOf(ctx).id {
			out = append(out, newObject(&items[i]))
		}
	}
	return out, nil
}

// find looks an object up by name (nil when there is none). A name made from an id (items
// from EAS) is read directly, a name a client chose through its indexed column; only a name
// longer than the column keeps (mailbox.MaxDAVName) needs the folder's items.
func (s *Server) find(ctx context.Context, f *store.Folder, name string) (*object, error) {
	if stem, ok := strings.CutSuffix(name, extension(f.Class)); ok {
		if id, err := strconv.ParseUint(stem, 10, 64); err == nil {
			it, err := s.mb.Item(ctx, accountOf(ctx).id, id)
			if err == nil && it.FolderID == f.ID {
				if o := newObject(it); o.name == name {
					return o, nil
				}
			} else if err != nil && !errors.Is(err, mailbox.ErrNoItem) {
				return nil, err
			}
		}
	}
	if len(name) <= mailbox.MaxDAVName {
		it, err := s.mb.ItemByDAVName(ctx, accountOf(ctx).id, f.ID, name)
		switch {
		case errors.Is(err, mailbox.ErrNoItem):
			return nil, nil
		case err != nil:
			return nil, err
		}
		return newObject(it), nil
	}
	objs, err := s.objects(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if o.name == name {
			return o, nil
		}
	}
	return nil, nil
}

// uid is the object's iCalendar/vCard UID: the event's own, the kept one, or one from the id.
func (o *object) uid(model string) string {
	if model != "" {
		return model
	}
	if o.meta.UID != "" {
		return o.meta.UID
	}
	return fmt.Sprintf("tessera-%d", o.item.ID)
}

// calendar renders an event or task item.
func (o *object) calendar() (*ical.Calendar, error) {
	var cal *ical.Calendar
	switch o.item.Class {
	case mailbox.ClassCalendar:
		var e pim.Event
		if err := json.Unmarshal([]byte(o.item.Props), &e); err != nil {
			return nil, err
		}
		cal = eventToICal(&e, o.uid(e.UID), o.item.UpdatedAt)
	case mailbox.ClassTasks:
		var t pim.Task
		if err := json.Unmarshal([]byte(o.item.Props), &t); err != nil {
			return nil, err
		}
		cal = taskToICal(&t, o.uid(""), o.item.UpdatedAt)
	default:
		return nil, fmt.Errorf("item %d of class %s is no calendar object", o.item.ID, o.item.Class)
	}
	mergeICal(cal, o.meta.Raw)
	scrubICal(cal.Component)
	return cal, nil
}

// card renders a contact item, in the vCard version the client last sent (3.0 by default).
func (o *object) card() (vcard.Card, error) {
	var c pim.Contact
	if err := json.Unmarshal([]byte(o.item.Props), &c); err != nil {
		return nil, err
	}
	version := "3.0"
	if strings.Contains(o.meta.Raw, "VERSION:4.0") {
		version = "4.0"
	}
	card := contactToVCard(&c, o.uid(""), version)
	mergeVCard(card, o.meta.Raw)
	scrubVCard(card)
	return card, nil
}

func encodeICal(cal *ical.Calendar) ([]byte, error) {
	var b bytes.Buffer
	err := ical.NewEncoder(&b).Encode(cal)
	return b.Bytes(), err
}

// checkPreconditions applies If-Match / If-None-Match to the object at the name (nil: none).
func checkPreconditions(ifMatch, ifNoneMatch webdav.ConditionalMatch, existing *object) error {
	if ifNoneMatch.IsSet() {
		if ifNoneMatch.IsWildcard() && existing != nil {
			return httpErr(http.StatusPreconditionFailed, "the resource exists")
		}
		if !ifNoneMatch.IsWildcard() && existing != nil {
			if tag, err := ifNoneMatch.ETag(); err == nil && tag == existing.etag() {
				return httpErr(http.StatusPreconditionFailed, "the resource matches If-None-Match")
			}
		}
	}
	if ifMatch.IsSet() {
		if existing == nil {
			return httpErr(http.StatusPreconditionFailed, "the resource does not exist")
		}
		if !ifMatch.IsWildcard() {
			tag, err := ifMatch.ETag()
			if err != nil || tag != existing.etag() {
				return httpErr(http.StatusPreconditionFailed, "the resource changed (ETag mismatch)")
			}
		}
	}
	return nil
}

// internal maps a service error to an HTTP one; an unexpected error is logged and answered
// without detail.
func (s *Server) internal(err error) error {
	switch {
	case err == nil:
		return nil
	case statusOf(err) != 0:
		return err
	case errors.Is(err, mailbox.ErrNoFolder), errors.Is(err, mailbox.ErrNoItem):
		return errNotFound
	case errors.Is(err, mailbox.ErrSpecialFolder):
		return httpErr(http.StatusForbidden, "default collections cannot be deleted")
	case errors.Is(err, mailbox.ErrFolderExists):
		return httpErr(http.StatusConflict, "a collection of that name exists")
	case errors.Is(err, mailbox.ErrBadFolder):
		return httpErr(http.StatusForbidden, "invalid collection name")
	}
	s.log.Error("dav", "err", err)
	return httpErr(http.StatusInternalServerError, "internal error")
}
