package eas

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Drafts over 16.x (MS-ASCMD 2.2.1.21, MS-ASEMAIL 2.2.2, MS-ASAIRS 2.2.2.2/2.2.2.21): a device
// adds and changes messages in the Drafts folder field by field (To, Cc, Bcc, Subject,
// Importance, Body) with attachments added (airsyncbase:Add with its bytes) and removed
// (airsyncbase:Delete by FileReference), and sends one with email2:Send. The server keeps a
// real MIME message in Drafts (mailbox.BuildDraft) so IMAP and the webmail see it. A stored
// message cannot change under its IMAP UID, so a Change stores the new version as a new item
// and deletes the old: the device gets the Delete and the Add with the same Sync's server
// changes. The answer maps each added attachment's ClientId to its FileReference. Before 16.0
// a mail Add stays refused (Status 6), as MS-ASCMD has no drafts there.

// draftsSync: the command is a 16.x draft command of the Drafts folder.
func draftsSync(c *call, folder *store.Folder) bool {
	return folder.Type == mailbox.TypeDrafts && c.req.AtLeast("16.0")
}

// draftFields: the Change edits the draft itself, not only its read or flag state.
func draftFields(cmd *wbxml.Node) bool {
	if cmd.Has("Email2:Send") {
		return true
	}
	ad := cmd.Child("ApplicationData")
	for _, name := range []string{"Email:To", "Email:Cc", "Email2:Bcc", "Email:Subject", "Email:Importance", "AirSyncBase:Body", "AirSyncBase:Attachments"} {
		if ad.Has(name) {
			return true
		}
	}
	return false
}

// addedAttachment is an attachment a device added, and where it went in the stored message.
type addedAttachment struct {
	clientID string
	index    int
}

// applyDraft sets on d what the device's ApplicationData gives (absent elements keep their
// value: 16.x sends what changed), drops the attachments it deletes (their FileReferences
// name the item oldID), and appends those it adds.
func applyDraft(d *mailbox.Draft, ad *wbxml.Node, oldID uint64) []addedAttachment {
	for name, dst := range map[string]*string{"Email:To": &d.To, "Email:Cc": &d.Cc, "Email2:Bcc": &d.Bcc, "Email:Subject": &d.Subject} {
		if n := ad.Child(name); n != nil {
			*dst = n.Value()
		}
	}
	if n := ad.Child("Email:Importance"); n != nil {
		if v, err := strconv.Atoi(n.Value()); err == nil && v >= 0 && v <= 2 {
			d.Importance = v
		}
	}
	if b := ad.Child("AirSyncBase:Body"); b != nil {
		if b.TextOf("AirSyncBase:Type") == strconv.Itoa(bodyHTML) {
			d.Text, d.HTML = "", b.TextOf("AirSyncBase:Data")
		} else {
			d.Text, d.HTML = b.TextOf("AirSyncBase:Data"), ""
		}
	}
	atts := ad.Child("AirSyncBase:Attachments")
	gone := map[int]bool{}
	prefix := id(oldID) + ":"
	for _, del := range atts.All("AirSyncBase:Delete") {
		if n, ok := strings.CutPrefix(del.TextOf("AirSyncBase:FileReference"), prefix); ok && oldID != 0 {
			if i, err := strconv.Atoi(n); err == nil {
				gone[i] = true
			}
		}
	}
	kept := d.Attachments[:0]
	for i, a := range d.Attachments {
		if !gone[i] {
			kept = append(kept, a)
		}
	}
	d.Attachments = kept
	var added []addedAttachment
	for _, a := range atts.All("AirSyncBase:Add") {
		if !a.Has("AirSyncBase:Content") {
			continue // nothing to attach (grommunio-sync skips these too)
		}
		added = append(added, addedAttachment{clientID: a.TextOf("AirSyncBase:ClientId"), index: len(d.Attachments)})
		d.Attachments = append(d.Attachments, mailbox.DraftAttachment{Name: a.TextOf("AirSyncBase:DisplayName"),
			ContentType: a.TextOf("AirSyncBase:ContentType"), ContentID: a.TextOf("AirSyncBase:ContentId"),
			Inline: a.TextOf("AirSyncBase:IsInline") == "1", Data: []byte(a.TextOf("AirSyncBase:Content"))})
	}
	return added
}

// attachmentMap is the ApplicationData that tells the device the FileReference of each
// attachment it added (MS-ASAIRS 2.2.2.7, in a Responses Add or Change); nil when none.
func attachmentMap(itemID uint64, added []addedAttachment) *wbxml.Node {
	if len(added) == 0 {
		return nil
	}
	list := wbxml.New("AirSyncBase:Attachments")
	for _, a := range added {
		list.Add(wbxml.New("AirSyncBase:Attachment", wbxml.NewText("AirSyncBase:ClientId", a.clientID),
			wbxml.NewText("AirSyncBase:FileReference", id(itemID)+":"+strconv.Itoa(a.index))))
	}
	return wbxml.New("ApplicationData", list)
}

// draftAdd stores a new draft (and sends it with email2:Send). A resent ClientId gets the
// same ServerId and creates nothing.
func (s *Server) draftAdd(ctx context.Context, c *call, folder *store.Folder, cmd *wbxml.Node, st *collState, responses *wbxml.Node) error {
	clientID := cmd.TextOf("ClientId")
	reply := func(serverID, status string, data *wbxml.Node) {
		r := wbxml.New("Add", wbxml.NewText("ClientId", clientID))
		if serverID != "" {
			r.Add(wbxml.NewText("ServerId", serverID))
		}
		r.Add(wbxml.NewText("Status", status))
		if data != nil {
			r.Add(data)
		}
		responses.Add(r)
	}
	if clientID == "" {
		reply("", syncProtocolError, nil)
		return nil
	}
	if prev, seen := st.Clients[clientID]; seen {
		reply(id(prev), syncOK, nil)
		return nil
	}
	d := &mailbox.Draft{Importance: 1}
	added := applyDraft(d, cmd.Child("ApplicationData"), 0)
	raw, err := mailbox.BuildDraft(c.account.Email, d, s.now())
	if err != nil {
		reply("", syncConversion, nil)
		return nil
	}
	it, err := s.storeDraft(ctx, c, folder, raw)
	if err != nil {
		return err
	}
	st.deviceAdded(it)
	st.Echo[it.ID] = it.ModSeq
	st.Clients[clientID] = it.ID
	status, err := s.sendDraft(ctx, c, cmd, it)
	if err != nil {
		return err
	}
	reply(id(it.ID), status, attachmentMap(it.ID, added))
	return nil
}

// draftChange stores the changed draft as a new item in place of the old (see above), and
// sends it with email2:Send.
func (s *Server) draftChange(ctx context.Context, c *call, folder *store.Folder, cmd *wbxml.Node, sid string, itemID uint64, responses *wbxml.Node) error {
	reply := func(status string, data *wbxml.Node) {
		r := wbxml.New("Change", wbxml.NewText("ServerId", sid), wbxml.NewText("Status", status))
		if data != nil {
			r.Add(data)
		}
		responses.Add(r)
	}
	old, err := s.mailbox.Item(ctx, c.account.ID, itemID)
	if errors.Is(err, mailbox.ErrNoItem) || (err == nil && old.FolderID != folder.ID) {
		reply(syncNotFound, nil)
		return nil
	} else if err != nil {
		return err
	}
	d, err := mailbox.ReadDraft(old.MIME)
	if err != nil {
		reply(syncConversion, nil)
		return nil
	}
	added := applyDraft(d, cmd.Child("ApplicationData"), old.ID)
	raw, err := mailbox.BuildDraft(c.account.Email, d, s.now())
	if err != nil {
		reply(syncConversion, nil)
		return nil
	}
	it, err := s.storeDraft(ctx, c, folder, raw)
	if err != nil {
		return err
	}
	if err := s.mailbox.Delete(ctx, c.account.ID, old.ID); err != nil {
		return err
	}
	status, err := s.sendDraft(ctx, c, cmd, it)
	if err != nil {
		return err
	}
	reply(status, attachmentMap(it.ID, added))
	return nil
}

// storeDraft keeps a draft in Drafts, read and with IMAP's \Draft flag.
func (s *Server) storeDraft(ctx context.Context, c *call, folder *store.Folder, raw []byte) (*store.Item, error) {
	return s.mailbox.Append(ctx, c.account.ID, folder.ID, raw, mailbox.Flags{Read: true, Other: `\Draft`}, time.Time{})
}

// sendDraft submits the stored draft when the command has email2:Send, with a copy in Sent
// Items, and takes it out of Drafts. A message that cannot be sent stays a draft and the
// command gets Status 6.
func (s *Server) sendDraft(ctx context.Context, c *call, cmd *wbxml.Node, it *store.Item) (string, error) {
	if !cmd.Has("Email2:Send") {
		return syncOK, nil
	}
	err := s.sender.Send(ctx, c.account.ID, c.account.Email, it.MIME, true)
	switch {
	case errors.Is(err, mailbox.ErrNotMessage), errors.Is(err, mailbox.ErrNoRecipients),
		errors.Is(err, mailbox.ErrNotLocal), errors.Is(err, mailbox.ErrRelay):
		s.log.Warn("eas: draft not sent", "account", c.account.Email, "err", err)
		return syncConversion, nil
	case err != nil:
		return "", err
	}
	return syncOK, s.mailbox.Delete(ctx, c.account.ID, it.ID)
}
