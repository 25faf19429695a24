package eas

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// SearchStore is what Search and ResolveRecipients read.
type SearchStore interface {
	SearchMail(ctx context.Context, accountID uint64, q store.MailQuery, offset, limit int) ([]store.Item, int64, error)
	SearchAccounts(ctx context.Context, domainID uint64, text string, limit int) ([]store.Account, error)
}

const maxSearchResults = 100

// search answers Search of the Mailbox store (the query of searchquery.go, over the user's own
// mail only) and of the GAL (the accounts of the user's domain).
func (s *Server) search(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("Search:Search")
	st := c.body.Child("Store")
	if c.body == nil || c.body.Name != "Search:Search" || st == nil {
		return resp.Add(wbxml.NewText("Status", "2")), nil
	}
	lo, hi := parseRange(st.Child("Options").TextOf("Range"))
	out := wbxml.New("Store")
	switch strings.ToLower(st.TextOf("Name")) {
	case "mailbox":
		opts := st.Child("Options")
		q, status := s.mailQuery(ctx, c, st.Child("Query"), opts.Has("DeepTraversal"))
		if status != "" {
			return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Response", out.Add(wbxml.NewText("Status", status)))), nil
		}
		items, total, err := s.search2.SearchMail(ctx, c.account.ID, q, lo, hi-lo+1)
		if err != nil {
			return nil, err
		}
		var o bodyOptions
		if opts != nil {
			o = parseBodyOptions(opts, o)
		}
		// RebuildResults asks to search again rather than from a cached result; every Search
		// here reads the store afresh, so it needs nothing.
		out.Add(wbxml.NewText("Status", "1"))
		for i := range items {
			props := mailData(&items[i], o, c.req.ProtocolVersion)
			out.Add(wbxml.New("Result", wbxml.NewText("AirSync:Class", "Email"), wbxml.NewText("LongId", id(items[i].ID)),
				wbxml.NewText("AirSync:CollectionId", id(items[i].FolderID)), wbxml.New("Properties", props...)))
		}
		finishStore(out, lo, len(items), total)
	case "gal":
		accts, err := s.search2.SearchAccounts(ctx, c.account.DomainID, st.TextOf("Query"), maxSearchResults)
		if err != nil {
			return nil, err
		}
		out.Add(wbxml.NewText("Status", "1"))
		end := min(len(accts), hi+1)
		for _, a := range accts[min(lo, end):end] {
			out.Add(wbxml.New("Result", wbxml.New("Properties", wbxml.NewText("GAL:DisplayName", a.Email),
				wbxml.NewText("GAL:EmailAddress", a.Email), wbxml.NewText("GAL:Alias", strings.SplitN(a.Email, "@", 2)[0]))))
		}
		finishStore(out, lo, max(0, end-lo), int64(len(accts)))
	default:
		return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Response", out.Add(wbxml.NewText("Status", "3")))), nil
	}
	return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Response", out)), nil
}

func finishStore(out *wbxml.Node, lo, n int, total int64) {
	if n == 0 {
		out.Add(wbxml.New("Result"), wbxml.NewText("Total", "0"))
		return
	}
	out.Add(wbxml.NewText("Range", fmt.Sprintf("%d-%d", lo, lo+n-1)), wbxml.NewText("Total", strconv.FormatInt(total, 10)))
}

// parseRange reads "0-9" (the default) and caps a range at maxSearchResults.
func parseRange(r string) (int, int) {
	lo, hi := 0, 9
	if a, b, ok := strings.Cut(r, "-"); ok {
		x, err1 := strconv.Atoi(a)
		y, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil && x >= 0 && y >= x {
			lo, hi = x, y
		}
	}
	return lo, min(hi, lo+maxSearchResults-1)
}

// resolveRecipients looks names and addresses up among the accounts of the user's domain.
func (s *Server) resolveRecipients(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("ResolveRecipients:ResolveRecipients")
	if c.body == nil || c.body.Name != "ResolveRecipients:ResolveRecipients" {
		return resp.Add(wbxml.NewText("Status", "5")), nil
	}
	resp.Add(wbxml.NewText("Status", "1"))
	for _, to := range c.body.All("To") {
		q := strings.TrimSpace(to.Value())
		r := wbxml.New("Response", wbxml.NewText("To", q))
		accts, err := s.search2.SearchAccounts(ctx, c.account.DomainID, q, 10)
		if err != nil {
			return nil, err
		}
		status := "4" // not resolved
		var exact []store.Account
		for _, a := range accts {
			if strings.EqualFold(a.Email, q) {
				exact = append(exact, a)
			}
		}
		switch {
		case len(exact) == 1:
			accts, status = exact, "1"
		case len(accts) == 1:
			status = "1"
		case len(accts) > 1:
			status = "2" // ambiguous: the suggestions follow
		}
		r.Add(wbxml.NewText("Status", status), wbxml.NewText("RecipientCount", strconv.Itoa(len(accts))))
		for _, a := range accts {
			r.Add(wbxml.New("Recipient", wbxml.NewText("Type", "1"), wbxml.NewText("DisplayName", a.Email), wbxml.NewText("EmailAddress", a.Email)))
		}
		resp.Add(r)
	}
	return resp, nil
}
