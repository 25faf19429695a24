package eas

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// itemOperations answers Fetch of a whole message by ServerId (MIME when asked) and of an
// attachment, and EmptyFolderContents (emptyfolder.go).
func (s *Server) itemOperations(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("ItemOperations:ItemOperations")
	if c.body == nil || c.body.Name != "ItemOperations:ItemOperations" {
		return resp.Add(wbxml.NewText("Status", "2")), nil
	}
	out := wbxml.New("Response")
	for _, f := range c.body.All("Fetch") {
		sid := f.TextOf("AirSync:ServerId")
		if sid == "" {
			sid = f.TextOf("Search:LongId") // a Search result
		}
		fetch := wbxml.New("Fetch")
		if ref := f.TextOf("AirSyncBase:FileReference"); ref != "" {
			out.Add(s.fetchAttachment(ctx, c, ref))
			continue
		}
		if store := f.TextOf("Store"); store != "Mailbox" || sid == "" {
			out.Add(fetch.Add(wbxml.NewText("Status", "2"))) // document libraries are not served
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
		data, err := applicationData(it, o, c.req.ProtocolVersion)
		if err != nil {
			return nil, err
		}
		out.Add(fetch.Add(wbxml.NewText("Status", "1"), wbxml.NewText("AirSync:ServerId", sid),
			wbxml.NewText("AirSync:CollectionId", id(it.FolderID)), wbxml.New("Properties", data...)))
	}
	for _, e := range c.body.All("EmptyFolderContents") {
		r, err := s.emptyFolderContents(ctx, c, e)
		if err != nil {
			return nil, err
		}
		out.Add(r)
	}
	return resp.Add(wbxml.NewText("Status", "1"), out), nil
}

// fetchAttachment answers an ItemOperations Fetch of an attachment by FileReference: its
// content type and its bytes, base64 (MS-ASCMD ItemOperations Data).
func (s *Server) fetchAttachment(ctx context.Context, c *call, ref string) *wbxml.Node {
	fetch := wbxml.New("Fetch")
	data, ct, err := s.attachment(ctx, c, ref)
	if err != nil {
		return fetch.Add(wbxml.NewText("Status", "15"), wbxml.NewText("AirSyncBase:FileReference", ref)) // attachment not found
	}
	return fetch.Add(wbxml.NewText("Status", "1"), wbxml.NewText("AirSyncBase:FileReference", ref),
		wbxml.New("Properties", wbxml.NewText("AirSyncBase:ContentType", ct),
			wbxml.NewText("Data", base64.StdEncoding.EncodeToString(data))))
}

// attachment resolves "itemId:index" of the account's mail to bytes and a content type.
func (s *Server) attachment(ctx context.Context, c *call, ref string) ([]byte, string, error) {
	item, index, ok := strings.Cut(ref, ":")
	itemID, err1 := strconv.ParseUint(item, 10, 64)
	n, err2 := strconv.Atoi(index)
	if !ok || err1 != nil || err2 != nil || n < 0 {
		return nil, "", mailbox.ErrNoAttachment
	}
	it, err := s.mailbox.Item(ctx, c.account.ID, itemID)
	if err != nil {
		return nil, "", mailbox.ErrNoAttachment
	}
	return mailbox.AttachmentData(it.MIME, n)
}

// getAttachment is 12.1's GetAttachment (later versions use ItemOperations, but phones send it
// at any version): the attachment's bytes as the HTTP body. MS-ASCMD answers a missing
// attachment with 500; that reads as a server fault to the phone, to monitoring and to the
// operator, so a missing one is 404 and a request without a name 400, as Tessera answers bad
// input everywhere.
func (s *Server) getAttachment(ctx context.Context, c *call) (*wbxml.Node, error) {
	name := c.req.Params["AttachmentName"]
	if name == "" {
		http.Error(c.w, "AttachmentName missing", http.StatusBadRequest)
		return nil, errHandled
	}
	data, ct, err := s.attachment(ctx, c, name)
	if err != nil {
		http.Error(c.w, "attachment not found", http.StatusNotFound)
		return nil, errHandled
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.w.Header().Set("Content-Type", ct)
	c.w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(data)
	return nil, errHandled
}
