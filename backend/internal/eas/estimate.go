package eas

import (
	"context"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// getItemEstimate counts what the next Syncs of each collection would bring (MS-ASCMD 2.2.1.9):
// the same engine as Sync, run on a copy of the state that is not saved.
func (s *Server) getItemEstimate(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("GetItemEstimate:GetItemEstimate")
	if c.body == nil || c.body.Name != "GetItemEstimate:GetItemEstimate" {
		return resp.Add(wbxml.New("Response", wbxml.NewText("Status", "2"))), nil
	}
	for _, n := range c.body.Child("Collections").All("Collection") {
		colID := n.TextOf("CollectionId")
		key := n.TextOf("AirSync:SyncKey")
		filter := -1 // none given: the state's
		if f := n.Child("AirSync:Options").TextOf("AirSync:FilterType"); f != "" {
			filter, _ = strconv.Atoi(f)
		} else if f := n.TextOf("AirSync:FilterType"); f != "" { // 12.1 puts it in the collection
			filter, _ = strconv.Atoi(f)
		}
		r := wbxml.New("Response")
		fid, err := strconv.ParseUint(colID, 10, 64)
		folder, ferr := s.mailbox.Folder(ctx, c.account.ID, fid)
		if err != nil || errors.Is(ferr, mailbox.ErrNoFolder) {
			resp.Add(r.Add(wbxml.NewText("Status", "2"), wbxml.New("Collection", wbxml.NewText("CollectionId", colID))))
			continue
		} else if ferr != nil {
			return nil, ferr
		}
		ld, err := s.states.load(ctx, c.device.ID, colID, key)
		if errors.Is(err, ErrUnknownKey) || (err == nil && ld.row == nil) {
			// Key 0 or unknown: the device must Sync first (Status 4, MS-ASCMD).
			resp.Add(r.Add(wbxml.NewText("Status", "4"), wbxml.New("Collection", wbxml.NewText("CollectionId", colID))))
			continue
		} else if err != nil {
			return nil, err
		}
		st, err := s.collStateOf(ctx, folder.ID, ld.data)
		if err != nil {
			return nil, err
		}
		st = st.clone()
		if filter >= 0 {
			st.Filter = filter
		}
		count := 0
		for {
			changes, more, err := serverChanges(ctx, s.mailbox, folder.ID, st, s.now(), maxWindow)
			if err != nil {
				return nil, err
			}
			count += len(changes)
			if !more {
				break
			}
		}
		resp.Add(r.Add(wbxml.NewText("Status", "1"), wbxml.New("Collection",
			wbxml.NewText("CollectionId", colID), wbxml.NewText("Estimate", strconv.Itoa(count)))))
	}
	return resp, nil
}
