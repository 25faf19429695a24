package eas

import (
	"context"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// ItemOperations statuses EmptyFolderContents answers with (MS-ASCMD ItemOperations Status).
const (
	itemOpsOK            = "1"
	itemOpsProtocolError = "2" // no CollectionId
	itemOpsNotFound      = "6" // no such folder of this account (another account's reads the same)
)

// emptyFolderContents empties one folder through the mailbox service: each item becomes a
// tombstone with its own change number, so this device's next Sync of the folder, other
// devices, IMAP sessions and DAV clients all see ordinary deletes. With DeleteSubFolders the
// folder's non-default subfolders go too (FolderDelete's rule: default folders are never
// deleted); the device learns of them at its next FolderSync. MS-ASCMD limits the command to
// no folder type, so any folder of the account may be emptied, Deleted Items being the usual
// one.
func (s *Server) emptyFolderContents(ctx context.Context, c *call, n *wbxml.Node) (*wbxml.Node, error) {
	out := wbxml.New("EmptyFolderContents")
	cid := n.TextOf("AirSync:CollectionId")
	if cid == "" {
		return out.Add(wbxml.NewText("Status", itemOpsProtocolError)), nil
	}
	fid, err := strconv.ParseUint(cid, 10, 64)
	if err != nil || fid == 0 {
		return out.Add(wbxml.NewText("Status", itemOpsNotFound), wbxml.NewText("AirSync:CollectionId", cid)), nil
	}
	sub := n.Child("Options").Has("DeleteSubFolders")
	if _, err := s.mailbox.EmptyFolder(ctx, c.account.ID, fid, sub); errors.Is(err, mailbox.ErrNoFolder) {
		return out.Add(wbxml.NewText("Status", itemOpsNotFound), wbxml.NewText("AirSync:CollectionId", cid)), nil
	} else if err != nil {
		return nil, err
	}
	return out.Add(wbxml.NewText("Status", itemOpsOK), wbxml.NewText("AirSync:CollectionId", cid)), nil
}
