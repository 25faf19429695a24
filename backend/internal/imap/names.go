package imap

import (
	"context"
	"strings"

	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// delim separates the levels of a mailbox name.
const delim = '/'

// box is a mail folder as IMAP names it.
type box struct {
	folder   store.Folder
	name     string
	children bool
}

// specialUse maps the default folders to their RFC 6154 attributes.
var specialUse = map[int]goimap.MailboxAttr{
	mailbox.TypeDrafts:       goimap.MailboxAttrDrafts,
	mailbox.TypeDeletedItems: goimap.MailboxAttrTrash,
	mailbox.TypeSentItems:    goimap.MailboxAttrSent,
}

// boxes lists the account's mail folders with their IMAP names: the Inbox is INBOX, others
// the path of display names joined by "/" (a "/" inside a display name is shown as "_", which
// the name cannot otherwise hold). Contacts, calendar, tasks and notes folders are not mailboxes.
func (s *session) boxes(ctx context.Context) ([]box, error) {
	fs, err := s.srv.deps.Mailbox.FolderTree(ctx, s.acct)
	if err != nil {
		return nil, err
	}
	byID := map[uint64]store.Folder{}
	for _, f := range fs {
		byID[f.ID] = f
	}
	hasChild := map[uint64]bool{}
	var out []box
	for _, f := range fs {
		if f.Class != mailbox.ClassEmail {
			continue
		}
		name, ok := pathOf(f, byID)
		if !ok {
			continue
		}
		hasChild[f.ParentID] = true
		out = append(out, box{folder: f, name: name})
	}
	for i := range out {
		out[i].children = hasChild[out[i].folder.ID]
	}
	return out, nil
}

func pathOf(f store.Folder, byID map[uint64]store.Folder) (string, bool) {
	var parts []string
	for depth := 0; ; depth++ {
		if depth > 64 || f.Class != mailbox.ClassEmail {
			return "", false
		}
		if f.Type == mailbox.TypeInbox {
			parts = append(parts, "INBOX")
		} else {
			parts = append(parts, strings.ReplaceAll(f.DisplayName, string(delim), "_"))
		}
		if f.ParentID == 0 {
			break
		}
		p, ok := byID[f.ParentID]
		if !ok {
			return "", false
		}
		f = p
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, string(delim)), true
}

// canonical writes INBOX (any case) at the start of a name as INBOX and drops a trailing "/".
func canonical(name string) string {
	name = strings.TrimSuffix(name, string(delim))
	if strings.EqualFold(name, "INBOX") {
		return "INBOX"
	}
	if len(name) > 6 && strings.EqualFold(name[:6], "INBOX/") {
		return "INBOX" + name[5:]
	}
	return name
}

var errNoMailbox = &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeNonExistent, Text: "No such mailbox"}

// find looks a mailbox up by name.
func (s *session) find(ctx context.Context, name string) (*box, error) {
	bs, err := s.boxes(ctx)
	if err != nil {
		return nil, err
	}
	name = canonical(name)
	for i := range bs {
		if bs[i].name == name {
			return &bs[i], nil
		}
	}
	return nil, errNoMailbox
}

// attrs are a mailbox's LIST attributes.
func (b box) attrs() []goimap.MailboxAttr {
	a := []goimap.MailboxAttr{goimap.MailboxAttrHasNoChildren}
	if b.children {
		a[0] = goimap.MailboxAttrHasChildren
	}
	if u, ok := specialUse[b.folder.Type]; ok {
		a = append(a, u)
	} else if b.folder.ParentID == 0 && !mailbox.IsDefaultType(b.folder.Type) {
		switch strings.ToLower(b.folder.DisplayName) {
		case "junk", "spam":
			a = append(a, goimap.MailboxAttrJunk)
		case "archive":
			a = append(a, goimap.MailboxAttrArchive)
		}
	}
	return a
}
