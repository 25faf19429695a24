package eas

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Status values of a Find response (MS-ASCMD 2.2.3.177.2).
const (
	findOK         = "1"
	findBadRequest = "2" // a request this server cannot read
)

// findPreview is how many characters of the body a Find result previews (the spec's limit).
const findPreview = 255

// find answers Find (MS-ASCMD 2.2.1.2, 16.0 and later; ServeHTTP refuses it below). It is
// Search in the 16.x form: the same query over the user's own mail (searchquery.go, with its
// FreeText, CollectionId and DeepTraversal) or the same GAL lookup, with a leaner result.
func (s *Server) find(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("Find:Find")
	bad := func() (*wbxml.Node, error) { return resp.Add(wbxml.NewText("Status", findBadRequest)), nil }
	if c.body == nil || c.body.Name != "Find:Find" || c.body.TextOf("SearchId") == "" {
		return bad()
	}
	ex := c.body.Child("ExecuteSearch")
	if ex == nil {
		return bad()
	}
	var (
		out *wbxml.Node
		err error
	)
	switch mc, gc := ex.Child("MailBoxSearchCriterion"), ex.Child("GalSearchCriterion"); {
	case mc != nil && gc == nil:
		out, err = s.findMail(ctx, c, mc)
	case gc != nil && mc == nil:
		out, err = s.findGAL(ctx, c, gc)
	default:
		return bad()
	}
	if err != nil || out == nil {
		return nil, err
	}
	if out.TextOf("Status") != findOK {
		// The request as a whole was unreadable: the top Status says so.
		return bad()
	}
	return resp.Add(wbxml.NewText("Status", findOK), out), nil
}

// findMail reads a MailBoxSearchCriterion: a Query of Class, CollectionId and FreeText, which
// the Search query reader takes as the children of an And. nil Response with Status 2 when
// the query is malformed.
func (s *Server) findMail(ctx context.Context, c *call, mc *wbxml.Node) (*wbxml.Node, error) {
	out := wbxml.New("Response", wbxml.NewText("ItemOperations:Store", "Mailbox"))
	opts := mc.Child("Options")
	search, ok := findQuery(mc.Child("Query"))
	if !ok {
		return out.Add(wbxml.NewText("Status", findBadRequest)), nil
	}
	q, status := s.mailQuery(ctx, c, search, opts.Has("DeepTraversal"))
	if status == searchServerErr {
		return nil, errors.New("find: the folder tree is unreadable")
	} else if status != "" {
		return out.Add(wbxml.NewText("Status", findBadRequest)), nil
	}
	lo, hi, ok := findRange(opts.TextOf("Range"))
	if !ok {
		return out.Add(wbxml.NewText("Status", findBadRequest)), nil
	}
	items, total, err := s.search2.SearchMail(ctx, c.account.ID, q, lo, hi-lo+1)
	if err != nil {
		return nil, err
	}
	out.Add(wbxml.NewText("Status", findOK))
	for i := range items {
		it := &items[i]
		out.Add(wbxml.New("Result", wbxml.NewText("AirSync:Class", "Email"), wbxml.NewText("AirSync:ServerId", id(it.ID)),
			wbxml.NewText("AirSync:CollectionId", id(it.FolderID)), wbxml.New("Properties", findMailProps(it)...)))
	}
	return findTotal(out, lo, len(items), total), nil
}

// findQuery turns a Find Query, its Class, CollectionId and FreeText, into the Search Query
// that searchquery.go reads, one And of them; false when it is malformed (no FreeText, or an
// element a Find Query has not). The Find page names FreeText itself; the Search reader knows
// the Search page's.
func findQuery(query *wbxml.Node) (*wbxml.Node, bool) {
	if query == nil || !query.Has("FreeText") {
		return nil, false
	}
	and := wbxml.New("Search:And")
	for _, k := range query.Children {
		switch k.Name {
		case "Find:FreeText":
			and.Add(wbxml.NewText("Search:FreeText", k.Value()))
		case "AirSync:Class", "AirSync:CollectionId":
			and.Add(wbxml.NewText(k.Name, k.Value()))
		default:
			return nil, false
		}
	}
	return wbxml.New("Query", and), true
}

// findMailProps is the short form of a mail a Find result carries.
func findMailProps(it *store.Item) []*wbxml.Node {
	atts := mailbox.DecodeAttachments(it.Attachments)
	return []*wbxml.Node{
		wbxml.NewText("Email:Subject", it.Subject),
		wbxml.NewText("Email:DateReceived", it.ReceivedAt.UTC().Format(easTime)),
		wbxml.NewText("Email:DisplayTo", displayNames(it.ToAddr)),
		wbxml.NewText("Find:DisplayCc", displayNames(it.CcAddr)),
		wbxml.NewText("Email:Importance", strconv.Itoa(it.Importance)),
		wbxml.NewText("Email:Read", boolText(it.Read)),
		wbxml.NewText("Email2:IsDraft", boolText(hasFlag(it.IMAPFlags, `\Draft`))),
		wbxml.NewText("Find:Preview", preview(it.BodyText)),
		wbxml.NewText("Find:HasAttachments", boolText(len(atts) > 0)),
		wbxml.NewText("Email:From", it.FromAddr),
	}
}

// findGAL reads a GalSearchCriterion: the text to look for among the accounts of the user's
// domain, as Search's GAL store does.
func (s *Server) findGAL(ctx context.Context, c *call, gc *wbxml.Node) (*wbxml.Node, error) {
	out := wbxml.New("Response", wbxml.NewText("ItemOperations:Store", "GAL"))
	text := strings.TrimSpace(gc.TextOf("Query"))
	lo, hi, ok := findRange(gc.Child("Options").TextOf("Range"))
	if text == "" || !ok {
		return out.Add(wbxml.NewText("Status", findBadRequest)), nil
	}
	accts, err := s.search2.SearchAccounts(ctx, c.account.DomainID, text, maxSearchResults)
	if err != nil {
		return nil, err
	}
	out.Add(wbxml.NewText("Status", findOK))
	end := min(len(accts), hi+1)
	for _, a := range accts[min(lo, end):end] {
		alias, _, _ := strings.Cut(a.Email, "@")
		out.Add(wbxml.New("Result", wbxml.New("Properties", wbxml.NewText("GAL:DisplayName", a.Email),
			wbxml.NewText("GAL:Alias", alias), wbxml.NewText("GAL:EmailAddress", a.Email))))
	}
	return findTotal(out, lo, max(0, end-min(lo, end)), int64(len(accts))), nil
}

// findRange reads a Find Range, "0-9" when absent; unlike Search's, a range that is not
// "lo-hi" with lo ≤ hi is a bad request. It is capped at maxSearchResults.
func findRange(r string) (int, int, bool) {
	if strings.TrimSpace(r) == "" {
		return 0, 9, true
	}
	a, b, ok := strings.Cut(r, "-")
	x, err1 := strconv.Atoi(strings.TrimSpace(a))
	y, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || x < 0 || y < x {
		return 0, 0, false
	}
	return x, min(y, x+maxSearchResults-1), true
}

// findTotal ends a Response: the Range of what it returned (when anything) and the Total.
func findTotal(out *wbxml.Node, lo, n int, total int64) *wbxml.Node {
	if n > 0 {
		out.Add(wbxml.NewText("Range", strconv.Itoa(lo)+"-"+strconv.Itoa(lo+n-1)))
	}
	return out.Add(wbxml.NewText("Total", strconv.FormatInt(total, 10)))
}

func hasFlag(flags, f string) bool {
	for _, x := range strings.Fields(flags) {
		if strings.EqualFold(x, f) {
			return true
		}
	}
	return false
}

// preview is the start of a body as one line, cut on a character boundary.
func preview(body string) string {
	p := strings.Join(strings.Fields(body), " ")
	if len(p) <= findPreview {
		return p
	}
	p = p[:findPreview]
	for !utf8.ValidString(p) {
		p = p[:len(p)-1]
	}
	return p
}
