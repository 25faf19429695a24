package eas_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func dated(subject, date string) []byte {
	return []byte(fmt.Sprintf("From: x@example.org\r\nTo: admin@example.com\r\nSubject: %s\r\nDate: %s\r\n\r\nabout %s\r\n", subject, date, subject))
}

// mailboxSearch runs a Mailbox Search of query (the Query's children) with options and returns
// the Store Status and the results' subjects, in order.
func mailboxSearch(t *testing.T, p *eastest.Phone, query []*wbxml.Node, options ...*wbxml.Node) (string, []string, *wbxml.Node) {
	t.Helper()
	st := wbxml.New("Store", wbxml.NewText("Name", "Mailbox"), wbxml.New("Query", query...))
	if len(options) > 0 {
		st.Add(wbxml.New("Options", options...))
	}
	r := eastest.OK(t)(p.Do("Search", wbxml.New("Search:Search", st))).Body
	if r.TextOf("Status") != "1" {
		t.Fatalf("Search status: %s", r)
	}
	store := r.Child("Response").Child("Store")
	var subjects []string
	for _, res := range store.All("Result") {
		if s := res.Child("Properties").TextOf("Email:Subject"); s != "" {
			subjects = append(subjects, s)
		}
	}
	return store.TextOf("Status"), subjects, store
}

func and(kids ...*wbxml.Node) *wbxml.Node { return wbxml.New("And", kids...) }

func or(kids ...*wbxml.Node) *wbxml.Node { return wbxml.New("Or", kids...) }

func received(op, when string) *wbxml.Node {
	return wbxml.New(op, wbxml.New("Email:DateReceived"), wbxml.NewText("Value", when))
}

// The query forms of MS-ASCMD Search that phones send for the Mailbox store, each returning
// exactly the expected messages of the user's own mail, and malformed queries answering a
// Store Status rather than an HTTP error.
func TestMailboxSearchQueries(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		ctx := t.Context()
		p, inbox := eastest.Provisioned(t, s, "dev1")
		acct, _ := s.App.Accounts.Get(ctx, admin)
		inboxID, _ := strconv.ParseUint(inbox, 10, 64)
		projects, err := s.App.Mailbox.CreateFolder(ctx, acct.ID, inboxID, "Projects", mailbox.TypeUserMail)
		if err != nil {
			t.Fatal(err)
		}
		sent, _ := s.App.Mailbox.FolderByType(ctx, acct.ID, mailbox.TypeSentItems)
		for _, m := range []struct {
			folder        uint64
			subject, date string
		}{
			{inboxID, "Lunch", "Sun, 01 Nov 2026 10:00:00 +0000"},
			{inboxID, "Re: Lunch", "Thu, 05 Nov 2026 10:00:00 +0000"},
			{inboxID, "Quarterly report", "Tue, 10 Nov 2026 10:00:00 +0000"},
			{projects.ID, "Fwd: Re: lunch", "Thu, 12 Nov 2026 10:00:00 +0000"},
			{sent.ID, "Holiday plans", "Sun, 15 Nov 2026 10:00:00 +0000"},
		} {
			if _, err := s.App.Mailbox.Store(ctx, acct.ID, m.folder, dated(m.subject, m.date), false); err != nil {
				t.Fatal(err)
			}
		}
		// Another account's mail matches every query below and must never be found.
		if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "eve@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		eve, _ := s.App.Accounts.Get(ctx, "eve@example.com")
		eveItem, err := s.App.Mailbox.Deliver(ctx, eve.ID, dated("Re: Lunch quarterly report holiday plans", "Fri, 06 Nov 2026 10:00:00 +0000"))
		if err != nil {
			t.Fatal(err)
		}

		email := wbxml.NewText("AirSync:Class", "Email")
		col := func(id string) *wbxml.Node { return wbxml.NewText("AirSync:CollectionId", id) }
		conv := func(topic string) *wbxml.Node { return wbxml.NewOpaque("ConversationId", []byte(topic)) }
		free := func(text string) *wbxml.Node { return wbxml.NewText("FreeText", text) }
		deep := wbxml.New("DeepTraversal")
		for _, tc := range []struct {
			name    string
			query   []*wbxml.Node
			options []*wbxml.Node
			want    string
		}{
			{"after, in Inbox", []*wbxml.Node{and(email, col(inbox), received("GreaterThan", "2026-11-03T00:00:00.000Z"))}, nil, "Quarterly report|Re: Lunch"},
			{"before, in Inbox", []*wbxml.Node{and(email, col(inbox), received("LessThan", "2026-11-06T00:00:00.000Z"))}, nil, "Re: Lunch|Lunch"},
			{"between, all folders", []*wbxml.Node{and(received("GreaterThan", "2026-11-03T00:00:00Z"), received("LessThan", "2026-11-12T10:00:00.000Z"))}, nil, "Quarterly report|Re: Lunch"},
			{"strictly after", []*wbxml.Node{and(received("GreaterThan", "2026-11-10T10:00:00.000Z"))}, nil, "Holiday plans|Fwd: Re: lunch"},
			{"conversation", []*wbxml.Node{and(email, conv("Lunch"))}, nil, "Fwd: Re: lunch|Re: Lunch|Lunch"},
			{"conversation in a folder", []*wbxml.Node{and(col(inbox), conv("Lunch"))}, nil, "Re: Lunch|Lunch"},
			{"conversation after a date", []*wbxml.Node{and(conv("lunch"), received("GreaterThan", "2026-11-02T00:00:00.000Z"))}, nil, "Fwd: Re: lunch|Re: Lunch"},
			{"or", []*wbxml.Node{or(free("holiday"), free("quarterly"))}, nil, "Holiday plans|Quarterly report"},
			{"or in an and with a conversation", []*wbxml.Node{and(conv("lunch"), or(col(strconv.FormatUint(projects.ID, 10)), received("LessThan", "2026-11-02T00:00:00.000Z")))}, nil, "Fwd: Re: lunch|Lunch"},
			{"and of or", []*wbxml.Node{and(col(inbox), or(free("quarterly"), received("LessThan", "2026-11-02T00:00:00.000Z")))}, nil, "Quarterly report|Lunch"},
			{"free text in a folder", []*wbxml.Node{and(email, col(inbox), free("lunch"))}, nil, "Re: Lunch|Lunch"},
			{"free text, deep traversal", []*wbxml.Node{and(email, col(inbox), free("lunch"))}, []*wbxml.Node{deep}, "Fwd: Re: lunch|Re: Lunch|Lunch"},
			{"free text alone", []*wbxml.Node{free("report")}, []*wbxml.Node{wbxml.NewText("RebuildResults", ""), wbxml.NewText("Range", "0-9")}, "Quarterly report"},
			{"folder only", []*wbxml.Node{and(email, col(strconv.FormatUint(projects.ID, 10)))}, nil, "Fwd: Re: lunch"},
			{"another class", []*wbxml.Node{and(wbxml.NewText("AirSync:Class", "Calendar"), col(inbox))}, nil, ""},
			{"another account's folder", []*wbxml.Node{and(email, col(strconv.FormatUint(eveItem.FolderID, 10)))}, []*wbxml.Node{deep}, ""},
			{"unknown conversation", []*wbxml.Node{and(conv("Nothing like this"))}, nil, ""},
		} {
			status, got, store := mailboxSearch(t, p, tc.query, tc.options...)
			if status != "1" || strings.Join(got, "|") != tc.want {
				t.Errorf("%s: status %s, %q, want %q\n%s", tc.name, status, got, tc.want, store)
			}
			if n := len(got); store.TextOf("Total") != strconv.Itoa(n) {
				t.Errorf("%s: Total %s for %d results", tc.name, store.TextOf("Total"), n)
			}
		}

		// The Range pages through the matches; Total counts them all.
		_, got, store := mailboxSearch(t, p, []*wbxml.Node{and(email, received("GreaterThan", "2026-01-01T00:00:00.000Z"))}, wbxml.NewText("Range", "1-2"))
		if strings.Join(got, "|") != "Fwd: Re: lunch|Quarterly report" || store.TextOf("Range") != "1-2" || store.TextOf("Total") != "5" {
			t.Fatalf("range: %q %s", got, store)
		}

		// Options BodyPreference shapes the results' bodies.
		pref := wbxml.New("AirSyncBase:BodyPreference", wbxml.NewText("AirSyncBase:Type", "1"), wbxml.NewText("AirSyncBase:TruncationSize", "5"))
		_, _, store = mailboxSearch(t, p, []*wbxml.Node{and(email, free("quarterly"))}, pref)
		if body := store.Child("Result").Child("Properties").Child("AirSyncBase:Body"); body.TextOf("AirSyncBase:Type") != "1" ||
			body.TextOf("AirSyncBase:Truncated") != "1" || body.TextOf("AirSyncBase:Data") != "about" {
			t.Fatalf("BodyPreference: %s", body)
		}

		// At 14.0 and later a result carries its ConversationId, and a Search by it finds the
		// conversation; 12.1 has no ConversationId.
		_, _, store = mailboxSearch(t, p, []*wbxml.Node{free("fwd")})
		id := store.Child("Result").Child("Properties").Child("Email2:ConversationId")
		if id == nil || string(id.Opaque) != "lunch" {
			t.Fatalf("ConversationId of a result: %s", store)
		}
		if _, got, _ := mailboxSearch(t, p, []*wbxml.Node{and(wbxml.NewOpaque("ConversationId", id.Opaque))}); strings.Join(got, "|") != "Fwd: Re: lunch|Re: Lunch|Lunch" {
			t.Fatalf("by the result's ConversationId: %q", got)
		}
		old := *p
		old.Version = "12.1"
		if _, _, store := mailboxSearch(t, &old, []*wbxml.Node{free("fwd")}); store.Child("Result").Child("Properties").Has("Email2:ConversationId") {
			t.Fatalf("ConversationId at 12.1: %s", store)
		}
		if status, got, _ := mailboxSearch(t, &old, []*wbxml.Node{and(conv("lunch"))}); status != "2" || len(got) != 0 {
			t.Fatalf("Search by ConversationId at 12.1: status %s, %q", status, got)
		}

		// Malformed or foreign queries answer the protocol's Store Status, never an HTTP error.
		deepAnd := free("lunch")
		for range 5 {
			deepAnd = and(deepAnd)
		}
		var many []*wbxml.Node
		for i := range 40 {
			many = append(many, free("x"+strconv.Itoa(i)))
		}
		for _, tc := range []struct {
			name   string
			query  []*wbxml.Node
			status string
		}{
			{"empty query", nil, "2"},
			{"empty And", []*wbxml.Node{and()}, "2"},
			{"empty Or", []*wbxml.Node{and(email, or())}, "2"},
			{"empty free text", []*wbxml.Node{and(free("  "))}, "2"},
			{"GreaterThan without Value", []*wbxml.Node{and(wbxml.New("GreaterThan", wbxml.New("Email:DateReceived")))}, "2"},
			{"GreaterThan of a bad date", []*wbxml.Node{and(received("GreaterThan", "yesterday"))}, "2"},
			{"LessThan of another property", []*wbxml.Node{and(wbxml.New("LessThan", wbxml.New("Email:Subject"), wbxml.NewText("Value", "2026-11-01T00:00:00.000Z")))}, "2"},
			{"EqualTo (DocumentLibrary's)", []*wbxml.Node{and(wbxml.New("EqualTo", wbxml.New("DocumentLibrary:LinkId"), wbxml.NewText("Value", "x")))}, "2"},
			{"CollectionId not a number", []*wbxml.Node{and(col("inbox"))}, "2"},
			{"empty ConversationId", []*wbxml.Node{and(wbxml.NewOpaque("ConversationId", nil))}, "2"},
			{"two ConversationIds", []*wbxml.Node{and(conv("lunch"), conv("holiday plans"))}, "2"},
			{"ConversationId outside an And", []*wbxml.Node{or(conv("lunch"), free("x"))}, "8"},
			{"ConversationId right in the Query", []*wbxml.Node{conv("lunch")}, "8"},
			{"too deep", []*wbxml.Node{deepAnd}, "8"},
			{"too many", []*wbxml.Node{or(many...)}, "8"},
		} {
			if status, got, store := mailboxSearch(t, p, tc.query); status != tc.status || len(got) != 0 {
				t.Errorf("%s: status %s (want %s), %q\n%s", tc.name, status, tc.status, got, store)
			}
		}
	})
}
