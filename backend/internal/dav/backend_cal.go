package dav

import (
	"context"
	"net/http"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// calBackend is go-webdav's view of the account's calendars (Calendar and Tasks folders).
type calBackend struct{ s *Server }

func (b *calBackend) CurrentUserPrincipal(ctx context.Context) (string, error) {
	return principalPath(accountOf(ctx).email), nil
}

func (b *calBackend) CalendarHomeSetPath(ctx context.Context) (string, error) {
	return homePath(areaCalendars, accountOf(ctx).email), nil
}

func calendarOf(email string, f *store.Folder) caldav.Calendar {
	comp := ical.CompEvent
	if f.Class == mailbox.ClassTasks {
		comp = ical.CompToDo
	}
	return caldav.Calendar{Path: collectionPath(areaCalendars, email, f), Name: f.DisplayName,
		SupportedComponentSet: []string{comp}, MaxResourceSize: MaxBody}
}

func (b *calBackend) ListCalendars(ctx context.Context) ([]caldav.Calendar, error) {
	fs, err := b.s.collections(ctx, areaCalendars)
	if err != nil {
		return nil, b.s.internal(err)
	}
	out := make([]caldav.Calendar, 0, len(fs))
	for i := range fs {
		out = append(out, calendarOf(accountOf(ctx).email, &fs[i]))
	}
	return out, nil
}

// folderAt resolves the collection of a path of the area.
func (s *Server) folderAt(ctx context.Context, area, p string) (*store.Folder, davPath, error) {
	d, ok := parsePath(p)
	if !ok || d.area != area || d.kind < kindCollection {
		return nil, d, errNotFound
	}
	f, err := s.collection(ctx, area, d.folder)
	return f, d, s.internal(err)
}

func (b *calBackend) GetCalendar(ctx context.Context, p string) (*caldav.Calendar, error) {
	f, _, err := b.s.folderAt(ctx, areaCalendars, p)
	if err != nil {
		return nil, err
	}
	c := calendarOf(accountOf(ctx).email, f)
	return &c, nil
}

func (b *calBackend) CreateCalendar(ctx context.Context, c *caldav.Calendar) error {
	return b.s.createCollection(ctx, areaCalendars, c.Path, c.Name, typeUserCalendar)
}

func (b *calBackend) calendarObject(base string, o *object) (*caldav.CalendarObject, error) {
	cal, err := o.calendar()
	if err != nil {
		return nil, b.s.internal(err)
	}
	return &caldav.CalendarObject{Path: base + o.name, ModTime: o.item.UpdatedAt,
		ETag: o.etag(), Data: cal}, nil
}

func (b *calBackend) GetCalendarObject(ctx context.Context, p string, _ *caldav.CalendarCompRequest) (*caldav.CalendarObject, error) {
	return getObject(ctx, b.s, areaCalendars, p, b.calendarObject)
}

func (b *calBackend) ListCalendarObjects(ctx context.Context, p string, _ *caldav.CalendarCompRequest) ([]caldav.CalendarObject, error) {
	return listObjects(ctx, b.s, areaCalendars, p, b.calendarObject)
}

func (b *calBackend) QueryCalendarObjects(ctx context.Context, p string, q *caldav.CalendarQuery) ([]caldav.CalendarObject, error) {
	all, err := b.ListCalendarObjects(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	var out []caldav.CalendarObject
	for i := range all {
		ok, err := matchQuery(q.CompFilter, all[i].Data)
		if err != nil {
			return nil, httpErr(http.StatusBadRequest, "calendar-query: %v", err)
		}
		if ok {
			out = append(out, all[i])
		}
	}
	return out, nil
}

func (b *calBackend) PutCalendarObject(ctx context.Context, p string, cal *ical.Calendar, opts *caldav.PutCalendarObjectOptions) (*caldav.CalendarObject, error) {
	f, d, err := b.s.folderAt(ctx, areaCalendars, p)
	if err != nil {
		return nil, err
	}
	if d.kind != kindObject || !validName(d.name) {
		return nil, httpErr(http.StatusForbidden, "not an object path")
	}
	raw, err := encodeICal(cal)
	if err != nil {
		return nil, httpErr(http.StatusBadRequest, "iCalendar: %v", err)
	}
	var model any
	var summary, uid string
	a := accountOf(ctx)
	switch f.Class {
	case mailbox.ClassTasks:
		t, u, err := taskFromICal(cal)
		if err != nil {
			return nil, httpErr(http.StatusBadRequest, "iCalendar: %v", err)
		}
		model, summary, uid = t, t.Summary(), u
	default:
		e, err := eventFromICal(cal, a.email)
		if err != nil {
			return nil, httpErr(http.StatusBadRequest, "iCalendar: %v", err)
		}
		model, summary = e, e.Summary()
	}
	o, err := b.s.store(ctx, f, d.name, model, summary, meta{Name: d.name, UID: uid, Raw: string(raw)}, opts.IfMatch, opts.IfNoneMatch)
	if err != nil {
		return nil, err
	}
	return b.calendarObject(requestedPath(d, a.email), o)
}

func (b *calBackend) DeleteCalendarObject(ctx context.Context, p string) error {
	return httpErr(http.StatusForbidden, "deletes are handled before go-webdav") // see Server.ServeHTTP
}
