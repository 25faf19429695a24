package eas

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store Status values of a Search response (MS-ASCMD 2.2.3.177.13).
const (
	searchBadRequest = "2" // a query this server cannot read
	searchServerErr  = "3"
	searchTooComplex = "8"
)

// A query nests at most this deep and has at most this many elements: phones send an And of a
// handful, and a bound keeps one request from building an unbounded SQL condition.
const (
	maxQueryDepth = 4
	maxQueryNodes = 32
)

// queryParser reads the Query of a Mailbox Search (MS-ASCMD 2.2.3.139.2) into a store query.
type queryParser struct {
	folders       []store.Folder // the account's folders
	deep          bool           // Options DeepTraversal: a CollectionId includes its subfolders
	conversations bool           // ConversationId is known (14.0 and later)
	nodes, convs  int
}

// mailQuery reads a Mailbox Search's Query. The Query's children hold together (phones send
// one And of them); the result, or the Store Status that refuses the query.
func (s *Server) mailQuery(ctx context.Context, c *call, q *wbxml.Node, deep bool) (store.MailQuery, string) {
	if q == nil || len(q.Children) == 0 {
		return store.MailQuery{}, searchBadRequest
	}
	folders, err := s.mailbox.FolderTree(ctx, c.account.ID)
	if err != nil {
		return store.MailQuery{}, searchServerErr
	}
	p := &queryParser{folders: folders, deep: deep, conversations: c.req.AtLeast("14.0")}
	return p.all(q, 1)
}

// all reads the children of n, which all must hold.
func (p *queryParser) all(n *wbxml.Node, depth int) (store.MailQuery, string) {
	kids := n.Children
	if len(kids) == 0 {
		return store.MailQuery{}, searchBadRequest // an empty And or Or
	}
	out := make([]store.MailQuery, 0, len(kids))
	for _, k := range kids {
		q, status := p.node(n, k, depth)
		if status != "" {
			return store.MailQuery{}, status
		}
		out = append(out, q)
	}
	return store.MailQuery{And: out}, ""
}

func (p *queryParser) node(parent, n *wbxml.Node, depth int) (store.MailQuery, string) {
	if p.nodes++; p.nodes > maxQueryNodes || depth > maxQueryDepth {
		return store.MailQuery{}, searchTooComplex
	}
	switch n.Name {
	case "Search:And":
		return p.all(n, depth+1)
	case "Search:Or":
		q, status := p.all(n, depth+1)
		return store.MailQuery{Or: q.And}, status
	case "Search:FreeText":
		if t := strings.TrimSpace(n.Value()); t != "" {
			return store.MailQuery{Text: t}, ""
		}
	case "AirSync:CollectionId":
		if id, err := strconv.ParseUint(strings.TrimSpace(n.Value()), 10, 64); err == nil {
			return store.MailQuery{Folders: p.subtree(id)}, ""
		}
	case "AirSync:Class":
		// Mailbox results are mail; a query for another class finds nothing (and within an
		// Or leaves the other branches to match).
		if c := strings.TrimSpace(n.Value()); c != "" {
			return store.MailQuery{Class: c}, ""
		}
	case "Search:ConversationId":
		// MS-ASCMD 2.2.3.35.2: only in an And (else SearchTooComplex), at most one, from 14.0.
		if parent.Name != "Search:And" {
			return store.MailQuery{}, searchTooComplex
		}
		if p.convs++; p.convs == 1 && p.conversations && n.Value() != "" {
			return store.MailQuery{Topic: n.Value()}, ""
		}
	case "Search:GreaterThan", "Search:LessThan":
		if len(n.Children) == 2 && n.Has("Email:DateReceived") {
			if t, ok := searchTime(n.TextOf("Search:Value")); ok {
				if n.Name == "Search:GreaterThan" {
					return store.MailQuery{After: t}, ""
				}
				return store.MailQuery{Before: t}, ""
			}
		}
	}
	return store.MailQuery{}, searchBadRequest // an element of another store, or malformed
}

// subtree is the folder id, and with DeepTraversal its subfolders, among the account's
// folders: another account's folder id gives an empty list, which matches nothing.
func (p *queryParser) subtree(id uint64) []uint64 {
	out := []uint64{}
	for _, f := range p.folders {
		if f.ID == id {
			out = append(out, id)
		}
	}
	if !p.deep {
		return out
	}
	seen := map[uint64]bool{id: true}
	for i := 0; i < len(out); i++ { // breadth first; out grows as children are found
		for _, f := range p.folders {
			if f.ParentID == out[i] && !seen[f.ID] {
				seen[f.ID] = true
				out = append(out, f.ID)
			}
		}
	}
	return out
}

// searchTime reads a Search Value date, "2026-11-17T08:30:00.000Z" (MS-ASDTYPE dateTime),
// taking one without a zone as UTC.
func searchTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", v); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// conversationID is a Search result's Email2:ConversationId (14.0 and later): the conversation
// topic's bytes, which a Search by ConversationId reads back to find the conversation's mail.
func conversationID(it *store.Item) *wbxml.Node {
	return wbxml.NewOpaque("Email2:ConversationId", []byte(mailbox.ConversationTopic(it.Subject)))
}
