package eas

import (
	"slices"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

const searchHead = `<Search xmlns="Search:" xmlns:airsync="AirSync:" xmlns:email="Email:"><Store><Name>Mailbox</Name>`

// FuzzSearchQuery: whatever Query a phone sends, the parser answers a query or a Store Status,
// never panics, keeps to its bounds (depth and elements), and names only the account's own
// folders (another account's folder id matches nothing).
func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{
		`<Query><And><airsync:Class>Email</airsync:Class><airsync:CollectionId>1</airsync:CollectionId><FreeText>x</FreeText></And></Query>`,
		`<Query><Or><FreeText>a</FreeText><And><GreaterThan><email:DateReceived/><Value>2026-11-01T00:00:00.000Z</Value></GreaterThan></And></Or></Query>`,
		`<Query><And><ConversationId>lunch</ConversationId><LessThan><email:DateReceived/><Value>2026-11-01T00:00:00</Value></LessThan></And></Query>`,
		`<Query><And><Or><And><Or><FreeText>deep</FreeText></Or></And></Or></And></Query>`,
		`<Query><airsync:CollectionId>99</airsync:CollectionId></Query>`,
		`<Query><And/></Query>`,
	} {
		f.Add([]byte(searchHead+q+`</Store></Search>`), true, true)
	}
	folders := []store.Folder{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}, {ID: 4, ParentID: 4}}
	own := func(id uint64) bool {
		return slices.ContainsFunc(folders, func(f store.Folder) bool { return f.ID == id })
	}
	f.Fuzz(func(t *testing.T, data []byte, deep, conversations bool) {
		tree, err := wbxml.ParseXML(data)
		if err != nil {
			return
		}
		q := tree.Child("Store").Child("Query")
		if q == nil || len(q.Children) == 0 {
			return
		}
		p := &queryParser{folders: folders, deep: deep, conversations: conversations}
		got, status := p.all(q, 1)
		if status != "" {
			if status != searchBadRequest && status != searchTooComplex {
				t.Fatalf("status %q", status)
			}
			return
		}
		var walk func(m store.MailQuery, depth int) int
		walk = func(m store.MailQuery, depth int) int {
			if depth > maxQueryDepth+1 {
				t.Fatalf("query %d deep: %+v", depth, got)
			}
			for _, id := range m.Folders {
				if !own(id) {
					t.Fatalf("folder %d is not the account's: %+v", id, got)
				}
			}
			n := 1
			for _, k := range append(slices.Clone(m.And), m.Or...) {
				n += walk(k, depth+1)
			}
			return n
		}
		if n := walk(got, 1); n > maxQueryNodes+1 {
			t.Fatalf("%d elements: %+v", n, got)
		}
	})
}
