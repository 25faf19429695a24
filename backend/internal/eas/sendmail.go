package eas

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Common status codes of MS-ASCMD 2.2.2 used by the mail-sending commands.
const (
	statusInvalidXML       = "103"
	statusInvalidMIME      = "107"
	statusPreviouslySent   = "118"
	statusNoRecipient      = "119"
	statusSubmissionFailed = "120"
	statusItemNotFound     = "150"
	lastSentCollection     = "_sent"
	rememberedClientIDs    = 64
)

// sendMail, smartReply and smartForward share one flow: read the message (WBXML from 14.0,
// raw MIME before), include the original for Smart*, submit it, answer.
func (s *Server) sendMail(ctx context.Context, c *call) (*wbxml.Node, error) {
	return s.submit(ctx, c, "SendMail")
}
func (s *Server) smartReply(ctx context.Context, c *call) (*wbxml.Node, error) {
	return s.submit(ctx, c, "SmartReply")
}
func (s *Server) smartForward(ctx context.Context, c *call) (*wbxml.Node, error) {
	return s.submit(ctx, c, "SmartForward")
}

type submission struct {
	clientID    string
	mime        []byte
	saveInSent  bool
	sourceItem  string
	replaceMime bool
}

func (s *Server) readSubmission(c *call, cmd string) (*submission, bool) {
	if c.raw != nil { // 12.1: the body is the MIME, options in the query
		return &submission{mime: c.raw, saveInSent: c.req.Params["SaveInSent"] == "T", sourceItem: c.req.Params["ItemId"]}, true
	}
	if c.body == nil || c.body.Name != "ComposeMail:"+cmd {
		return nil, false
	}
	sub := &submission{clientID: c.body.TextOf("ClientId"), saveInSent: c.body.Has("SaveInSentItems"),
		replaceMime: c.body.Has("ReplaceMime")}
	if m := c.body.Child("Mime"); m != nil {
		sub.mime = []byte(m.Value())
	}
	if src := c.body.Child("Source"); src != nil {
		sub.sourceItem = src.TextOf("ItemId")
	}
	return sub, sub.mime != nil
}

func (s *Server) submit(ctx context.Context, c *call, cmd string) (*wbxml.Node, error) {
	fail := func(status string) (*wbxml.Node, error) {
		if c.raw != nil { // 12.1 has no response body: HTTP status only
			code := map[string]int{statusInvalidMIME: 400, statusNoRecipient: 400, statusItemNotFound: 400, statusInvalidXML: 400}[status]
			if code == 0 {
				code = http.StatusInternalServerError
			}
			http.Error(c.w, "SendMail status "+status, code)
			return nil, errHandled
		}
		return wbxml.New("ComposeMail:"+cmd, wbxml.NewText("Status", status)), nil
	}
	sub, ok := s.readSubmission(c, cmd)
	if !ok {
		return fail(statusInvalidXML)
	}
	if sub.clientID != "" {
		if seen, err := s.clientIDSeen(ctx, c, sub.clientID); err != nil {
			return nil, err
		} else if seen {
			return fail(statusPreviouslySent)
		}
	}
	raw := sub.mime
	if cmd != "SendMail" && !sub.replaceMime {
		itemID, _ := strconv.ParseUint(sub.sourceItem, 10, 64)
		orig, err := s.mailbox.Item(ctx, c.account.ID, itemID)
		if errors.Is(err, mailbox.ErrNoItem) {
			return fail(statusItemNotFound)
		} else if err != nil {
			return nil, err
		}
		if raw, err = mailbox.Compose(sub.mime, orig, cmd == "SmartForward"); err != nil {
			return fail(statusInvalidMIME)
		}
	}
	err := s.sender.Send(ctx, c.account.ID, c.account.Email, raw, sub.saveInSent)
	switch {
	case errors.Is(err, mailbox.ErrNotMessage):
		return fail(statusInvalidMIME)
	case errors.Is(err, mailbox.ErrNoRecipients):
		return fail(statusNoRecipient)
	case errors.Is(err, mailbox.ErrNotLocal), errors.Is(err, mailbox.ErrRelay):
		s.log.Warn("eas: mail not submitted", "account", c.account.Email, "err", err)
		return fail(statusSubmissionFailed)
	case err != nil:
		return nil, err
	}
	if sub.clientID != "" {
		if err := s.rememberClientID(ctx, c, sub.clientID); err != nil {
			return nil, err
		}
	}
	return nil, nil // success: an empty response (MS-ASCMD)
}

// clientIDSeen: a device that resends a message it already sent (a lost response) gets 118
// instead of sending it twice.
func (s *Server) clientIDSeen(ctx context.Context, c *call, id string) (bool, error) {
	ids, err := s.sentIDs(ctx, c)
	for _, x := range ids {
		if x == id {
			return true, err
		}
	}
	return false, err
}

func (s *Server) sentIDs(ctx context.Context, c *call) ([]string, error) {
	row, err := s.states.store.SyncStateOf(ctx, c.device.ID, lastSentCollection)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var ids []string
	_ = json.Unmarshal(row.State, &ids)
	return ids, nil
}

func (s *Server) rememberClientID(ctx context.Context, c *call, id string) error {
	ids, err := s.sentIDs(ctx, c)
	if err != nil {
		return err
	}
	ids = append(ids, id)
	if len(ids) > rememberedClientIDs {
		ids = ids[len(ids)-rememberedClientIDs:]
	}
	data, _ := json.Marshal(ids)
	return s.states.store.SaveSyncState(ctx, &store.SyncState{DeviceID: c.device.ID, CollectionID: lastSentCollection, SyncKey: "-", State: data})
}
