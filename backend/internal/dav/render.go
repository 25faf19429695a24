package dav

import "context"

// getObject and listObjects serve both go-webdav backends (CalDAV and CardDAV have the same
// shape with different types): the folder at p in area, then one object or all of them,
// rendered by render with the path the client asked under.

func getObject[T any](ctx context.Context, s *Server, area, p string, render func(base string, o *object) (*T, error)) (*T, error) {
	f, d, err := s.folderAt(ctx, area, p)
	if err != nil {
		return nil, err
	}
	if d.kind != kindObject {
		return nil, errNotFound
	}
	o, err := s.find(ctx, f, d.name)
	if err != nil {
		return nil, s.internal(err)
	}
	if o == nil {
		return nil, errNotFound
	}
	return render(requestedPath(d, accountOf(ctx).email), o)
}

func listObjects[T any](ctx context.Context, s *Server, area, p string, render func(base string, o *object) (*T, error)) ([]T, error) {
	f, d, err := s.folderAt(ctx, area, p)
	if err != nil {
		return nil, err
	}
	objs, err := s.objects(ctx, f)
	if err != nil {
		return nil, s.internal(err)
	}
	base := requestedPath(d, accountOf(ctx).email)
	out := make([]T, 0, len(objs))
	for _, o := range objs {
		r, err := render(base, o)
		if err != nil {
			s.log.Error("dav: render item", "id", o.item.ID, "err", err)
			continue // one broken item does not hide the others
		}
		out = append(out, *r)
	}
	return out, nil
}
