package dav

import (
	"context"
	"net/http"

	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav/carddav"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// cardBackend is go-webdav's view of the account's address books (Contacts folders).
type cardBackend struct{ s *Server }

func (b *cardBackend) CurrentUserPrincipal(ctx context.Context) (string, error) {
	return principalPath(accountOf(ctx).email), nil
}

func (b *cardBackend) AddressBookHomeSetPath(ctx context.Context) (string, error) {
	return homePath(areaAddressBooks, accountOf(ctx).email), nil
}

func addressBookOf(email string, f *store.Folder) carddav.AddressBook {
	return carddav.AddressBook{Path: collectionPath(areaAddressBooks, email, f), Name: f.DisplayName, MaxResourceSize: MaxBody,
		SupportedAddressData: []carddav.AddressDataType{{ContentType: vcard.MIMEType, Version: "3.0"}, {ContentType: vcard.MIMEType, Version: "4.0"}}}
}

func (b *cardBackend) ListAddressBooks(ctx context.Context) ([]carddav.AddressBook, error) {
	fs, err := b.s.collections(ctx, areaAddressBooks)
	if err != nil {
		return nil, b.s.internal(err)
	}
	out := make([]carddav.AddressBook, 0, len(fs))
	for i := range fs {
		out = append(out, addressBookOf(accountOf(ctx).email, &fs[i]))
	}
	return out, nil
}

func (b *cardBackend) GetAddressBook(ctx context.Context, p string) (*carddav.AddressBook, error) {
	f, _, err := b.s.folderAt(ctx, areaAddressBooks, p)
	if err != nil {
		return nil, err
	}
	ab := addressBookOf(accountOf(ctx).email, f)
	return &ab, nil
}

func (b *cardBackend) CreateAddressBook(ctx context.Context, ab *carddav.AddressBook) error {
	return b.s.createCollection(ctx, areaAddressBooks, ab.Path, ab.Name, typeUserContacts)
}

func (b *cardBackend) DeleteAddressBook(ctx context.Context, p string) error {
	return httpErr(http.StatusForbidden, "deletes are handled before go-webdav")
}

func (b *cardBackend) addressObject(base string, o *object) (*carddav.AddressObject, error) {
	card, err := o.card()
	if err != nil {
		return nil, b.s.internal(err)
	}
	return &carddav.AddressObject{Path: base + o.name, ModTime: o.item.UpdatedAt,
		ETag: o.etag(), Card: card}, nil
}

func (b *cardBackend) GetAddressObject(ctx context.Context, p string, _ *carddav.AddressDataRequest) (*carddav.AddressObject, error) {
	return getObject(ctx, b.s, areaAddressBooks, p, b.addressObject)
}

func (b *cardBackend) ListAddressObjects(ctx context.Context, p string, _ *carddav.AddressDataRequest) ([]carddav.AddressObject, error) {
	return listObjects(ctx, b.s, areaAddressBooks, p, b.addressObject)
}

func (b *cardBackend) QueryAddressObjects(ctx context.Context, p string, q *carddav.AddressBookQuery) ([]carddav.AddressObject, error) {
	all, err := b.ListAddressObjects(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	var out []carddav.AddressObject
	for i := range all {
		ok, err := matchCard(q, all[i].Card)
		if err != nil {
			return nil, httpErr(http.StatusBadRequest, "addressbook-query: %v", err)
		}
		if ok {
			out = append(out, all[i])
			if q.Limit > 0 && len(out) >= q.Limit {
				break
			}
		}
	}
	return out, nil
}

func (b *cardBackend) PutAddressObject(ctx context.Context, p string, card vcard.Card, opts *carddav.PutAddressObjectOptions) (*carddav.AddressObject, error) {
	f, d, err := b.s.folderAt(ctx, areaAddressBooks, p)
	if err != nil {
		return nil, err
	}
	if d.kind != kindObject || !validName(d.name) {
		return nil, httpErr(http.StatusForbidden, "not an object path")
	}
	c, uid, err := contactFromVCard(card)
	if err != nil {
		return nil, httpErr(http.StatusBadRequest, "vCard: %v", err)
	}
	raw, err := encodeVCard(card)
	if err != nil {
		return nil, httpErr(http.StatusBadRequest, "vCard: %v", err)
	}
	o, err := b.s.store(ctx, f, d.name, c, c.Summary(), meta{Name: d.name, UID: uid, Raw: string(raw)}, opts.IfMatch, opts.IfNoneMatch)
	if err != nil {
		return nil, err
	}
	return b.addressObject(requestedPath(d, accountOf(ctx).email), o)
}

func (b *cardBackend) DeleteAddressObject(ctx context.Context, p string) error {
	return httpErr(http.StatusForbidden, "deletes are handled before go-webdav")
}
