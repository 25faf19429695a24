package eas_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const umlautMail = "From: =?utf-8?q?J=C3=BCrgen?= <juergen@example.org>\r\nTo: admin@example.com\r\nCc: carol@example.com\r\n" +
	"Subject: =?utf-8?q?=C3=9Cber_die_Pr=C3=BCfung?=\r\nContent-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: 8bit\r\n\r\nSchöne Grüße aus Köln.\r\n"

// mailFind is a Find of the Mailbox store as a 16.1 phone sends it.
func mailFind(query []*wbxml.Node, opts ...*wbxml.Node) *wbxml.Node {
	return wbxml.New("Find:Find", wbxml.NewText("SearchId", "f1"), wbxml.New("ExecuteSearch",
		wbxml.New("MailBoxSearchCriterion", wbxml.New("Query", query...), wbxml.New("Options", opts...))))
}

func freeText(text string, collection string) []*wbxml.Node {
	q := []*wbxml.Node{wbxml.NewText("AirSync:Class", "Email")}
	if collection != "" {
		q = append(q, wbxml.NewText("AirSync:CollectionId", collection))
	}
	return append(q, wbxml.NewText("FreeText", text))
}

// The 16.1 Find command: free text over the user's own mail (umlauts included), in one folder
// or with DeepTraversal its subfolders, paged by Range; the GAL of the user's domain; refused
// below 16.0; a malformed request gets Status 2; libwbxml reads the answer.
func TestFind(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		ctx := t.Context()
		for _, e := range []string{"bob@example.com", "bobby@example.com"} {
			if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: e, Password: "Granite-Falcon-63"}); err != nil {
				t.Fatal(err)
			}
		}
		s.App.Accounts.CreateDomain(ctx, "test", "other.org")
		s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "bob@other.org", Password: "Granite-Falcon-63"})
		p, inbox := eastest.ProvisionedAt(t, s, "16.1", "find161")
		acct, _ := s.App.Accounts.Get(ctx, admin)
		for i := 1; i <= 12; i++ {
			s.App.Mailbox.Deliver(ctx, acct.ID, eastest.Mail(i))
		}
		if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, []byte(umlautMail)); err != nil {
			t.Fatal(err)
		}
		// A subfolder of the Inbox with mail of the same words.
		inboxID, _ := strconv.ParseUint(inbox, 10, 64)
		sub, err := s.App.Mailbox.CreateFolder(ctx, acct.ID, inboxID, "Projekte", mailbox.TypeUserMail)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Mailbox.Append(ctx, acct.ID, sub.ID, []byte(strings.Replace(umlautMail, "Pr=C3=BCfung", "Planung", 1)),
			mailbox.Flags{Read: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		// Another account's mail with the same words, in its own Inbox.
		bob, _ := s.App.Accounts.Get(ctx, "bob@example.com")
		if _, err := s.App.Mailbox.Deliver(ctx, bob.ID, []byte(umlautMail)); err != nil {
			t.Fatal(err)
		}
		bobFolders, _ := s.App.Mailbox.FolderTree(ctx, bob.ID)

		find := func(body *wbxml.Node) (*wbxml.Node, []byte) {
			t.Helper()
			r := must(p.Do("Find", body))
			return r.Body, r.Raw
		}
		total := func(r *wbxml.Node) string { return r.Child("Response").TextOf("Total") }

		// One folder, by an umlaut word of the subject.
		r, raw := find(mailFind(freeText("Prüfung", inbox)))
		resp := r.Child("Response")
		res := resp.Child("Result")
		props := res.Child("Properties")
		if r.TextOf("Status") != "1" || resp.TextOf("ItemOperations:Store") != "Mailbox" || resp.TextOf("Status") != "1" ||
			total(r) != "1" || resp.TextOf("Range") != "0-0" || res.TextOf("AirSync:Class") != "Email" ||
			res.TextOf("AirSync:CollectionId") != inbox || res.TextOf("AirSync:ServerId") == "" ||
			props.TextOf("Email:Subject") != "Über die Prüfung" || props.TextOf("Preview") != "Schöne Grüße aus Köln." ||
			!strings.Contains(props.TextOf("Email:From"), "juergen@example.org") || props.TextOf("Email:Read") != "0" ||
			props.TextOf("HasAttachments") != "0" || props.TextOf("Email2:IsDraft") != "0" || !strings.Contains(props.TextOf("DisplayCc"), "carol") {
			t.Fatalf("Find by an umlaut word: %s", r)
		}
		// libwbxml 0.11.8 has no page 25 (it prints the Find tags as "unknown"), so it checks the
		// framing and the tags of the other pages.
		eastest.LibwbxmlDecodes(t, raw, "<Store>Mailbox</Store>", "<Class>Email</Class>", "<Subject>Über die Prüfung</Subject>", "Schöne Grüße aus Köln.")

		// The body's words: one folder; with DeepTraversal its subfolder too; with no
		// CollectionId every folder of the account, but never another account's.
		for _, c := range []struct {
			coll, want string
			deep       bool
		}{{inbox, "1", false}, {inbox, "2", true}, {"", "2", false}, {strconv.FormatUint(sub.ID, 10), "1", false}} {
			var opts []*wbxml.Node
			if c.deep {
				opts = append(opts, wbxml.New("DeepTraversal"))
			}
			if r, _ := find(mailFind(freeText("Grüße", c.coll), opts...)); total(r) != c.want {
				t.Fatalf("collection %q deep %v: want %s: %s", c.coll, c.deep, c.want, r)
			}
		}
		for _, f := range bobFolders {
			if r, _ := find(mailFind(freeText("Grüße", strconv.FormatUint(f.ID, 10)), wbxml.New("DeepTraversal"))); r.TextOf("Status") != "1" || total(r) != "0" {
				t.Fatalf("another account's folder %d: %s", f.ID, r)
			}
		}

		// Range pages through the 12 "Body of message N" mails without overlap.
		seen := map[string]bool{}
		for _, c := range []struct{ rng, want string }{{"0-4", "0-4"}, {"5-9", "5-9"}, {"10-14", "10-11"}} {
			r, _ := find(mailFind(freeText("message", inbox), wbxml.NewText("Range", c.rng)))
			resp := r.Child("Response")
			if total(r) != "12" || resp.TextOf("Range") != c.want {
				t.Fatalf("range %s: %s", c.rng, r)
			}
			for _, res := range resp.All("Result") {
				seen[res.TextOf("AirSync:ServerId")] = true
			}
		}
		if len(seen) != 12 {
			t.Fatalf("pages hold %d distinct mails, want 12", len(seen))
		}

		// The GAL: the user's domain only.
		gal, raw := find(wbxml.New("Find:Find", wbxml.NewText("SearchId", "g1"), wbxml.New("ExecuteSearch",
			wbxml.New("GalSearchCriterion", wbxml.NewText("Query", "bob"), wbxml.New("Options", wbxml.NewText("Range", "0-9"))))))
		var found []string
		for _, res := range gal.Child("Response").All("Result") {
			found = append(found, res.Child("Properties").TextOf("GAL:EmailAddress"))
		}
		if gal.Child("Response").TextOf("ItemOperations:Store") != "GAL" || strings.Join(found, ",") != "bob@example.com,bobby@example.com" ||
			total(gal) != "2" {
			t.Fatalf("GAL: %s", gal)
		}
		eastest.LibwbxmlDecodes(t, raw, "<Store>GAL</Store>", "<EmailAddress>bobby@example.com</EmailAddress>")

		// Malformed requests: Status 2, never a 5xx.
		for name, body := range map[string]*wbxml.Node{
			"empty":           nil,
			"other root":      wbxml.New("Search:Search", wbxml.New("Store")),
			"no search":       wbxml.New("Find:Find", wbxml.NewText("SearchId", "x")),
			"no SearchId":     wbxml.New("Find:Find", wbxml.New("ExecuteSearch", mailFind(freeText("a", "")).Child("ExecuteSearch").Children...)),
			"no free text":    mailFind([]*wbxml.Node{wbxml.NewText("AirSync:CollectionId", inbox)}),
			"empty free text": mailFind(freeText("  ", "")),
			"bad range":       mailFind(freeText("message", ""), wbxml.NewText("Range", "9-2")),
			"foreign tag":     mailFind(append(freeText("message", ""), wbxml.NewText("Search:ConversationId", "x"))),
			"both stores": wbxml.New("Find:Find", wbxml.NewText("SearchId", "x"), wbxml.New("ExecuteSearch",
				wbxml.New("MailBoxSearchCriterion", wbxml.New("Query", freeText("a", "")...)), wbxml.New("GalSearchCriterion", wbxml.NewText("Query", "bob")))),
			"empty GAL query": wbxml.New("Find:Find", wbxml.NewText("SearchId", "x"), wbxml.New("ExecuteSearch", wbxml.New("GalSearchCriterion", wbxml.NewText("Query", "")))),
		} {
			if r, _ := find(body); r.Name != "Find:Find" || r.TextOf("Status") != "2" {
				t.Fatalf("%s: %s", name, r)
			}
		}

		// An unprovisioned 16.1 phone is sent to Provision in Find's own Status.
		fresh := eastest.NewPhone(t, s, "16.1", "findnew")
		if r := must(fresh.Do("Find", mailFind(freeText("message", "")))); r.Body.Name != "Find:Find" || r.Body.TextOf("Status") != "142" {
			t.Fatalf("unprovisioned Find: %s", r.Body)
		}

		// Below 16.0 Find is no command: HTTP 400, and OPTIONS does not list it.
		old, _ := eastest.Provisioned(t, s, "find141")
		if r, err := old.Do("Find", mailFind(freeText("message", ""))); err != nil || r.HTTPStatus != http.StatusBadRequest {
			t.Fatalf("Find at 14.1: %v %+v", err, r)
		}
		for v, want := range map[string]bool{"14.1": false, "16.1": true, "": true} {
			req, _ := http.NewRequest(http.MethodOptions, s.URL+eas.Path, nil)
			req.SetBasicAuth(p.User, p.Pass)
			if v != "" {
				req.Header.Set("MS-ASProtocolVersion", v)
			}
			hr, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			hr.Body.Close()
			if got := strings.Contains(hr.Header.Get("MS-ASProtocolCommands"), "Find"); got != want {
				t.Fatalf("OPTIONS at %q lists Find: %v (%s)", v, got, hr.Header.Get("MS-ASProtocolCommands"))
			}
		}
	})
}
