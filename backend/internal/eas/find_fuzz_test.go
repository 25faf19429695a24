package eas

import (
	"slices"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// FuzzFindQuery: whatever MailBoxSearchCriterion and Range a phone sends, Find reads a query of
// free text over the account's own folders only, or refuses it (Status 2, or 8 from the shared
// reader), and a range it takes is ordered and capped; it never panics.
func FuzzFindQuery(f *testing.F) {
	const head = `<Find xmlns="Find:" xmlns:airsync="AirSync:"><SearchId>1</SearchId><ExecuteSearch><MailBoxSearchCriterion>`
	for _, q := range []string{
		`<Query><airsync:Class>Email</airsync:Class><airsync:CollectionId>1</airsync:CollectionId><FreeText>Grüße</FreeText></Query>`,
		`<Query><FreeText>x</FreeText><airsync:CollectionId>99</airsync:CollectionId></Query>`,
		`<Query><FreeText/></Query>`,
		`<Query><airsync:Class>Email</airsync:Class></Query>`,
		`<Query><FreeText>a</FreeText><Query><FreeText>b</FreeText></Query></Query>`,
	} {
		f.Add([]byte(head+q+`</MailBoxSearchCriterion></ExecuteSearch></Find>`), "0-9", true)
	}
	f.Add([]byte(head+`<Query><FreeText>a</FreeText></Query></MailBoxSearchCriterion></ExecuteSearch></Find>`), "10-2", false)
	f.Add([]byte(head+`<Query><FreeText>a</FreeText></Query></MailBoxSearchCriterion></ExecuteSearch></Find>`), "-1-99999999999999999999", false)
	folders := []store.Folder{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}}
	f.Fuzz(func(t *testing.T, data []byte, rng string, deep bool) {
		if lo, hi, ok := findRange(rng); ok && (lo < 0 || hi < lo || hi-lo >= maxSearchResults) {
			t.Fatalf("range %q read as %d-%d", rng, lo, hi)
		}
		tree, err := wbxml.ParseXML(data)
		if err != nil {
			return
		}
		search, ok := findQuery(tree.Child("ExecuteSearch").Child("MailBoxSearchCriterion").Child("Query"))
		if !ok {
			return
		}
		p := &queryParser{folders: folders, deep: deep, conversations: true}
		got, status := p.all(search, 1)
		if status != "" {
			if status != searchBadRequest && status != searchTooComplex {
				t.Fatalf("status %q", status)
			}
			return
		}
		// got is the Query's And around the one And of the leaves.
		if len(got.And) != 1 {
			t.Fatalf("not one And: %+v", got)
		}
		text := false
		for _, k := range got.And[0].And {
			if len(k.And)+len(k.Or) > 0 || k.Topic != "" {
				t.Fatalf("a Find query is flat: %+v", got)
			}
			text = text || k.Text != ""
			for _, id := range k.Folders {
				if !slices.ContainsFunc(folders, func(f store.Folder) bool { return f.ID == id }) {
					t.Fatalf("folder %d is not the account's: %+v", id, got)
				}
			}
		}
		if !text {
			t.Fatalf("a Find query without free text: %+v", got)
		}
	})
}
