package eas_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestSearchAndResolve(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		for _, e := range []string{"bob@example.com", "bobby@example.com", "carol@example.com"} {
			if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: e, Password: "Granite-Falcon-63"}); err != nil {
				t.Fatal(err)
			}
		}
		s.App.Accounts.CreateDomain(t.Context(), "test", "other.org")
		s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "bob@other.org", Password: "Granite-Falcon-63"})
		p, inbox := eastest.Provisioned(t, s, "dev1")
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		for i := 1; i <= 12; i++ {
			s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(i))
		}
		s.App.Mailbox.Deliver(t.Context(), acct.ID, []byte("From: x@example.org\r\nTo: admin@example.com\r\nSubject: Quarterly REPORT 50%_done\r\n\r\nnumbers\r\n"))
		search := func(text, rng string) *wbxml.Node {
			return must(p.Do("Search", wbxml.New("Search:Search", wbxml.New("Store", wbxml.NewText("Name", "Mailbox"),
				wbxml.New("Query", wbxml.New("And", wbxml.NewText("AirSync:Class", "Email"), wbxml.NewText("AirSync:CollectionId", inbox),
					wbxml.NewText("FreeText", text))), wbxml.New("Options", wbxml.NewText("Range", rng)))))).Body
		}
		r := search("quarterly report", "0-9")
		st := r.Child("Response").Child("Store")
		if st.TextOf("Status") != "1" || st.TextOf("Total") != "1" || st.Child("Result").Child("Properties").TextOf("Email:Subject") != "Quarterly REPORT 50%_done" {
			t.Fatalf("search: %s", r)
		}
		if r := search("50%_", "0-9"); r.Child("Response").Child("Store").TextOf("Total") != "1" {
			t.Fatalf("LIKE wildcards in the text are literal: %s", r)
		}
		if r := search("5%", "0-9"); r.Child("Response").Child("Store").TextOf("Total") != "0" {
			t.Fatalf("%% must not match everything: %s", r)
		}
		r = search("message", "0-4") // "Body of message N" in all 12
		st = r.Child("Response").Child("Store")
		if st.TextOf("Total") != "12" || st.TextOf("Range") != "0-4" || len(st.All("Result")) != 5 {
			t.Fatalf("range: %s", r)
		}
		// A result can be fetched whole by its LongId.
		long := st.Child("Result").TextOf("LongId")
		fetch := wbxml.New("ItemOperations:ItemOperations", wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("Search:LongId", long)))
		if r := must(p.Do("ItemOperations", fetch)); r.Body.Child("Response").Child("Fetch").TextOf("Status") != "1" {
			t.Fatalf("fetch by LongId: %s", r.Body)
		}
		gal := must(p.Do("Search", wbxml.New("Search:Search", wbxml.New("Store", wbxml.NewText("Name", "GAL"), wbxml.NewText("Query", "bob"))))).Body
		var found []string
		for _, res := range gal.Child("Response").Child("Store").All("Result") {
			found = append(found, res.Child("Properties").TextOf("GAL:EmailAddress"))
		}
		if strings.Join(found, ",") != "bob@example.com,bobby@example.com" {
			t.Fatalf("GAL (same domain only): %v", found)
		}
		rr := must(p.Do("ResolveRecipients", wbxml.New("ResolveRecipients:ResolveRecipients",
			wbxml.NewText("To", "bob@example.com"), wbxml.NewText("To", "bob"), wbxml.NewText("To", "nobody")))).Body
		resp := rr.All("Response")
		if len(resp) != 3 || resp[0].TextOf("Status") != "1" || resp[0].TextOf("RecipientCount") != "1" ||
			resp[1].TextOf("Status") != "2" || resp[1].TextOf("RecipientCount") != "2" || resp[2].TextOf("Status") != "4" {
			t.Fatalf("ResolveRecipients: %s", rr)
		}
	})
}
