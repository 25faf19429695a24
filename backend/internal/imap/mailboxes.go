package imap

import (
	"errors"
	"sort"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Create makes a user mail folder, and the missing folders above it.
func (s *session) Create(name string, _ *goimap.CreateOptions) error {
	if err := s.begin(); err != nil {
		return err
	}
	name = canonical(name)
	if _, err := s.find(s.ctx, name); err == nil {
		return mapErr(mailbox.ErrFolderExists)
	}
	_, err := s.makePath(name)
	return err
}

// makePath finds or creates each level of name and returns the last folder's id.
func (s *session) makePath(name string) (uint64, error) {
	parts := strings.Split(name, string(delim))
	var parent uint64
	for i := range parts {
		if parts[i] == "" {
			return 0, mapErr(mailbox.ErrBadFolder)
		}
		path := strings.Join(parts[:i+1], string(delim))
		if b, err := s.find(s.ctx, path); err == nil {
			parent = b.folder.ID
			continue
		} else if !errors.Is(err, errNoMailbox) {
			return 0, mapErr(err)
		}
		f, err := s.srv.deps.Mailbox.CreateFolder(s.ctx, s.acct, parent, parts[i], mailbox.TypeUserMail)
		if err != nil {
			return 0, mapErr(err)
		}
		parent = f.ID
	}
	return parent, nil
}

// Delete removes a user folder without subfolders (as a default folder, one with subfolders
// is refused: EAS deletes a whole subtree, which no IMAP client expects).
func (s *session) Delete(name string) error {
	if err := s.begin(); err != nil {
		return err
	}
	b, err := s.find(s.ctx, name)
	if err != nil {
		return mapErr(err)
	}
	if mailbox.IsDefaultType(b.folder.Type) {
		return mapErr(mailbox.ErrSpecialFolder)
	}
	if b.children {
		return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeHasChildren, Text: "Delete the subfolders first"}
	}
	return mapErr(s.srv.deps.Mailbox.DeleteFolder(s.ctx, s.acct, b.folder.ID))
}

// Rename renames or moves a user folder; the levels above the new name are created.
func (s *session) Rename(oldName, newName string, _ *goimap.RenameOptions) error {
	if err := s.begin(); err != nil {
		return err
	}
	b, err := s.find(s.ctx, oldName)
	if err != nil {
		return mapErr(err)
	}
	if mailbox.IsDefaultType(b.folder.Type) {
		return mapErr(mailbox.ErrSpecialFolder)
	}
	newName = canonical(newName)
	if _, err := s.find(s.ctx, newName); err == nil {
		return mapErr(mailbox.ErrFolderExists)
	}
	var parent uint64
	leaf := newName
	if i := strings.LastIndexByte(newName, byte(delim)); i >= 0 {
		if strings.HasPrefix(newName+string(delim), b.name+string(delim)) {
			return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeCannot, Text: "A mailbox cannot go under itself"}
		}
		if parent, err = s.makePath(newName[:i]); err != nil {
			return err
		}
		leaf = newName[i+1:]
	}
	return mapErr(s.srv.deps.Mailbox.UpdateFolder(s.ctx, s.acct, b.folder.ID, parent, leaf))
}

// Subscribe and Unsubscribe are kept per account, for every session and client of it. A
// mailbox no client ever subscribed or unsubscribed counts as subscribed, so that a folder
// made on the phone or in the web app shows in a desktop client that lists only subscribed
// ones; a subscribed name whose mailbox is gone stays listed (LSUB, \Noselect) until
// unsubscribed (RFC 3501 6.3.6).
func (s *session) Subscribe(name string) error {
	if err := s.begin(); err != nil {
		return err
	}
	b, err := s.find(s.ctx, name)
	if err != nil {
		return mapErr(err)
	}
	return mapErr(s.srv.deps.Mailbox.SetSubscribed(s.ctx, s.acct, b.name, true))
}

func (s *session) Unsubscribe(name string) error {
	if err := s.begin(); err != nil {
		return err
	}
	return mapErr(s.srv.deps.Mailbox.SetSubscribed(s.ctx, s.acct, canonical(name), false))
}

// List answers LIST and LSUB.
func (s *session) List(w *imapserver.ListWriter, ref string, patterns []string, opts *goimap.ListOptions) error {
	if err := s.begin(); err != nil {
		return err
	}
	if len(patterns) == 0 { // LIST "" "": the hierarchy delimiter (RFC 3501 6.3.8; go-imap drops the empty pattern)
		return w.WriteList(&goimap.ListData{Attrs: []goimap.MailboxAttr{goimap.MailboxAttrNoSelect}, Delim: delim})
	}
	bs, err := s.boxes(s.ctx)
	if err != nil {
		return mapErr(err)
	}
	subSel := opts != nil && opts.SelectSubscribed
	var subs map[string]bool
	if subSel || opts != nil && opts.ReturnSubscribed {
		if subs, err = s.srv.deps.Mailbox.Subscriptions(s.ctx, s.acct); err != nil {
			return mapErr(err)
		}
	}
	matches := func(name string) bool {
		for _, p := range patterns {
			if imapserver.MatchList(name, delim, ref, p) {
				return true
			}
		}
		return false
	}
	exists := map[string]bool{}
	for _, b := range bs {
		exists[b.name] = true
		attrs := b.attrs()
		subscribed, known := subs[b.name]
		subscribed = subscribed || !known
		if !matches(b.name) || opts != nil && opts.SelectSpecialUse && len(attrs) < 2 || subSel && !subscribed {
			continue
		}
		if subs != nil && subscribed {
			attrs = append(attrs, goimap.MailboxAttrSubscribed)
		}
		if err := w.WriteList(&goimap.ListData{Attrs: attrs, Delim: delim, Mailbox: b.name}); err != nil {
			return err
		}
	}
	if !subSel {
		return nil
	}
	var gone []string // subscribed names without a mailbox
	for name, on := range subs {
		if on && !exists[name] && matches(name) {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	for _, name := range gone {
		attrs := []goimap.MailboxAttr{goimap.MailboxAttrNoSelect, goimap.MailboxAttrSubscribed}
		if err := w.WriteList(&goimap.ListData{Attrs: attrs, Delim: delim, Mailbox: name}); err != nil {
			return err
		}
	}
	return nil
}

// Status counts a mailbox.
func (s *session) Status(name string, opts *goimap.StatusOptions) (*goimap.StatusData, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	b, err := s.find(s.ctx, name)
	if err != nil {
		return nil, mapErr(err)
	}
	f, err := s.srv.deps.Mailbox.Folder(s.ctx, s.acct, b.folder.ID)
	if err != nil {
		return nil, mapErr(err)
	}
	n, unseen, err := s.srv.deps.Mailbox.Counts(s.ctx, s.acct, f.ID)
	if err != nil {
		return nil, mapErr(err)
	}
	num, uns, zero := uint32(n), uint32(unseen), uint32(0)
	d := &goimap.StatusData{Mailbox: b.name}
	if opts.NumMessages {
		d.NumMessages = &num
	}
	if opts.NumUnseen {
		d.NumUnseen = &uns
	}
	if opts.NumRecent {
		d.NumRecent = &zero
	}
	if opts.UIDNext {
		d.UIDNext = goimap.UID(f.UIDNext)
	}
	if opts.UIDValidity {
		d.UIDValidity = f.UIDValidity
	}
	if s.fr.command().statusHigh {
		s.fr.setCond(func(c *condState) { c.statusHigh = imapModSeq(f.LastSeq) })
	}
	return d, nil
}
