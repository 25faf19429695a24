package eas

import (
	"context"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// itemOperations answers Fetch of a whole message by ServerId (MIME when asked).
func (s *Server) itemOperations(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("ItemOperations:ItemOperations")
	if c.body == nil || c.body.Name != "ItemOperations:ItemOperations" {
		return resp.Add(wbxml.NewText("Status", "2")), nil
	}
	out := wbxml.New("Response")
	for _, f := range c.body.All("Fetch") {
		sid := f.TextOf("AirSync:ServerId")
		fetch := wbxml.New("Fetch")
		if store := f.TextOf("Store"); store != "Mailbox" || sid == "" {
			out.Add(fetch.Add(wbxml.NewText("Status", "2"))) // only mailbox items by ServerId so far
			continue
		}
		itemID, _ := strconv.ParseUint(sid, 10, 64)
		it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
		if errors.Is(err, mailbox.ErrNoItem) {
			out.Add(fetch.Add(wbxml.NewText("Status", "6"), wbxml.NewText("AirSync:ServerId", sid)))
			continue
		} else if err != nil {
			return nil, err
		}
		var o bodyOptions
		if opts := f.Child("Options"); opts != nil {
			o = parseBodyOptions(opts, o)
		}
		out.Add(fetch.Add(wbxml.NewText("Status", "1"), wbxml.NewText("AirSync:ServerId", sid),
			wbxml.NewText("AirSync:CollectionId", id(it.FolderID)), wbxml.New("Properties", emailData(it, o)...)))
	}
	return resp.Add(wbxml.NewText("Status", "1"), out), nil
}
