package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// searchCorpus is mail in German, Japanese and English, with long unspaced runs, addresses,
// LIKE's wildcards and an RFC 2047 subject header.
var searchCorpus = []struct{ subject, from, to, text, html string }{
	{"Hello World", "alice@example.org", "bob@example.net", "Say hello, world: it works.", ""},
	{"Grüße aus München", "jürgen@beispiel.de", "bob@example.net", "Die Straße ist nass. Äpfel und Öl kosten 100% mehr!", "<p>Schöne Grüße</p>"},
	{"GRÜSSE AUS MUENCHEN", "JUERGEN@BEISPIEL.DE", "bob@example.net", "STRASSE, ÄPFEL", ""},
	{"会議の議事録", "tanaka@example.jp", "bob@example.net", "東京都に住んでいます。明日の会議は午後三時からです。カタカナもあります。", ""},
	{"Re: 東京出張", "suzuki@example.jp", "bob@example.net", "これはとても長い日本語の文章で三十二文字を超えるので窓に分けて索引に入れられる文章です", ""},
	{"a_b and 50%", "weird!name@example.com", "bob@example.net", "under_score and per%cent and bang!mark", ""},
	{"long token", "x@example.com", "bob@example.net", "https://example.com/averyveryverylongpathsegmentthatgoesonandon/file.html?q=Zürich", ""},
	{"Fwd: lunch", "carol@example.org", "dave@example.org, bob@example.net", "Shall we have lunch? Ｆｕｌｌｗｉｄｔｈ text here.", "<b>lunch</b>"},
	// Words folding changes (a Kelvin sign, a ligature, a dotted capital I, fullwidth letters,
	// marks) next to their plain forms: the index proves only the plain ones (searchexact.go).
	{"Kelvin ﬁnance", "ozan@İstanbul.example", "bob@example.net", "KELVIN and Kelvin; ﬁle FILE ｔｏｋｙｏ", "<i>ÅNGSTRÖM</i> htmlonly"},
	{"Tokyo trip", "y@example.com", "bob@example.net", "tokyo angstrom istanbul, finance 東", ""},
}

var searchQueries = []string{
	"ell", "hello", "HELLO", "o, w", "lo wo", "world:", "münchen", "MÜNCHEN", "munchen", "muenchen", "grüße", "GRÜSSE", "grusse",
	"straße", "strasse", "äpfel", "ÄPFEL", "apfel", "öl", "100%", "%", "_", "a_b", "per%c", "!", "bang!m", "東京", "住んで",
	"議事", "カタカナ", "三時から", "日本語の文章", "索引に入れられる文章です", "窓に分けて索引", "example.org", "@example", "jürgen@",
	"averyveryverylongpathsegmentthatgoesonandon", "longpathsegmentthatgoes", "goesonandon/file", "zürich", "zurich", "lunch", "LUNCH",
	"fullwidth", "Ｆｕｌｌ", "e", " ", "  ", ".", "nomatchatall", "bob@example.net", "Re: 東京", "ä", "ü",
	"kelvin", "Kelvin", "Kelvin", "elvin", "file", "ﬁle", "fi", "finance", "ﬁnance", "istanbul", "İstanbul", "tokyo", "ｔｏｋｙｏ",
	"angstrom", "ÅNGSTRÖM", "htmlonly", "東", "京", "Tokyo", "word2", "only", "Encoded", "bung", "example",
}

func addMail(t *testing.T, s *store.Store, acct, folder uint64, i int, m struct{ subject, from, to, text, html string }) *store.Item {
	t.Helper()
	mime := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: =?utf-8?q?Encoded_=C3=9Cbung_%d?=\r\nX-Tag: header-only-word%d\r\n\r\n%s\r\n", m.from, m.to, i, i, m.text)
	it := &store.Item{AccountID: acct, FolderID: folder, Class: "Email", ReceivedAt: time.Unix(int64(1_700_000_000+i), 0).UTC(),
		Subject: m.subject, FromAddr: m.from, ToAddr: m.to, BodyText: m.text, BodyHTML: m.html, MIME: []byte(mime), Size: int64(len(mime))}
	if err := s.AddItem(context.Background(), it); err != nil {
		t.Fatal(err)
	}
	return it
}

func searchIDs(t *testing.T, s *store.Store, acct uint64, text string, index bool) ([]uint64, int64) {
	t.Helper()
	return searchPage(t, s, acct, text, index, 0, 1000)
}

func searchPage(t *testing.T, s *store.Store, acct uint64, text string, index bool, offset, limit int) ([]uint64, int64) {
	t.Helper()
	s.UseSearchIndex(index)
	defer s.UseSearchIndex(true)
	items, total, err := s.SearchMail(context.Background(), acct, store.MailQuery{Text: text}, offset, limit)
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	ids := []uint64{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids, total
}

// sameResults checks that every query finds the same items with the index as without it.
func sameResults(t *testing.T, s *store.Store, acct uint64, queries []string) {
	t.Helper()
	for _, q := range queries {
		old, oldTotal := searchIDs(t, s, acct, q, false)
		got, total := searchIDs(t, s, acct, q, true)
		if !reflect.DeepEqual(old, got) || oldTotal != total {
			t.Errorf("search %q: index finds %v (%d), LIKE finds %v (%d)", q, got, total, old, oldTotal)
		}
		old, oldTotal = searchPage(t, s, acct, q, false, 1, 2)
		got, total = searchPage(t, s, acct, q, true, 1, 2)
		if !reflect.DeepEqual(old, got) || oldTotal != total {
			t.Errorf("search %q, 2 from the second: index finds %v (%d), LIKE finds %v (%d)", q, got, total, old, oldTotal)
		}
	}
}

// sameQuery checks that a whole query (folders, dates, an Or) finds the same with the index as
// without it, all of it and a page.
func sameQuery(t *testing.T, s *store.Store, acct uint64, q store.MailQuery) {
	t.Helper()
	run := func(index bool, offset, limit int) ([]uint64, int64) {
		s.UseSearchIndex(index)
		defer s.UseSearchIndex(true)
		items, total, err := s.SearchMail(context.Background(), acct, q, offset, limit)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		ids := []uint64{}
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		return ids, total
	}
	for _, p := range [][2]int{{0, 1000}, {1, 2}} {
		old, oldTotal := run(false, p[0], p[1])
		got, total := run(true, p[0], p[1])
		if !reflect.DeepEqual(old, got) || oldTotal != total {
			t.Errorf("search %+v from %d: index finds %v (%d), LIKE finds %v (%d)", q, p[0], got, total, old, oldTotal)
		}
	}
}

// sameQueries runs sameQuery over the queries with folders, dates and the other criteria of an
// EAS Search around them.
func sameQueries(t *testing.T, s *store.Store, acct uint64, folders []uint64) {
	t.Helper()
	mid := time.Unix(1_700_000_004, 0).UTC()
	for _, text := range searchQueries {
		for _, q := range []store.MailQuery{
			{And: []store.MailQuery{{Class: "Email"}, {Folders: folders}, {Text: text}}},
			{And: []store.MailQuery{{Folders: folders[:1]}, {Text: text}, {After: mid}}},
			{And: []store.MailQuery{{Text: text}, {And: []store.MailQuery{{Before: mid}, {Folders: folders}}}}},
			{And: []store.MailQuery{{Class: "Email"}, {Text: text}, {Folders: []uint64{}}}},
			{And: []store.MailQuery{{Class: "Contacts"}, {Text: text}}},
			{Or: []store.MailQuery{{Text: text}, {Text: "lunch"}}},
			{And: []store.MailQuery{{Text: text}, {Topic: "lunch"}}},
		} {
			sameQuery(t, s, acct, q)
		}
	}
}

func TestSearchIndexMatchesLike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		inbox := &store.Folder{AccountID: 1, DisplayName: "Inbox", Type: 2, Class: "Email"}
		other := &store.Folder{AccountID: 1, DisplayName: "Other", Type: 12, Class: "Email"}
		theirs := &store.Folder{AccountID: 2, DisplayName: "Inbox", Type: 2, Class: "Email"}
		for _, f := range []*store.Folder{inbox, other, theirs} {
			if err := s.CreateFolder(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		var items []*store.Item
		for i, m := range searchCorpus {
			items = append(items, addMail(t, s, 1, inbox.ID, i, m))
			addMail(t, s, 2, theirs.ID, i, m) // another account's copy is never found
		}
		sameResults(t, s, 1, searchQueries)
		sameQueries(t, s, 1, []uint64{inbox.ID, other.ID})
		sureOf(t, s, items)
		for q, want := range map[string][]uint64{
			"ell": {items[0].ID}, "東京": {items[4].ID, items[3].ID}, "住んで": {items[3].ID}, "カタカナ": {items[3].ID},
			"索引に入れられる文章です": {items[4].ID}, "longpathsegmentthatgoes": {items[6].ID}, "o, w": {items[0].ID},
		} {
			if got, _ := searchIDs(t, s, 1, q, true); !reflect.DeepEqual(got, want) {
				t.Errorf("search %q = %v, want %v", q, got, want)
			}
		}
		if got, _ := searchIDs(t, s, 1, "straße", true); len(got) == 0 {
			t.Error("straße not found")
		}

		// The index follows changes: a new subject, a delete, a move, a copy, a folder deleted.
		subj := "Neuer Betreff Käsekuchen"
		if _, err := s.UpdateItem(ctx, 1, items[0].ID, store.ItemPatch{Subject: &subj}); err != nil {
			t.Fatal(err)
		}
		if got, _ := searchIDs(t, s, 1, "käsekuchen", true); !reflect.DeepEqual(got, []uint64{items[0].ID}) {
			t.Errorf("new subject: %v", got)
		}
		if err := s.DeleteItem(ctx, 1, items[3].ID); err != nil {
			t.Fatal(err)
		}
		moved, err := s.MoveItem(ctx, 1, items[4].ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := searchIDs(t, s, 1, "東京", true); !reflect.DeepEqual(got, []uint64{moved.ID}) {
			t.Errorf("after delete and move: %v, want [%d]", got, moved.ID)
		}
		c, err := s.CopyItem(ctx, 1, items[1].ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ids, _, ok, err := s.SearchCandidates(ctx, 1, 0, "München", store.FieldSubject); err != nil || !ok || !ids[c.ID] || !ids[items[1].ID] || ids[items[3].ID] {
			t.Errorf("candidates of the copy and its original, not of a deleted item: %v %v %v", ids, ok, err)
		}
		if ids, _, ok, err := s.SearchCandidates(ctx, 1, 0, "header-only-word2", store.FieldHeader); err != nil || !ok || !ids[items[2].ID] {
			t.Errorf("a header's word: %v %v %v", ids, ok, err)
		}
		if ids, _, ok, err := s.SearchCandidates(ctx, 1, 0, "Übung", store.FieldSubjectHeader); err != nil || !ok || !ids[items[0].ID] || !ids[c.ID] || !ids[moved.ID] || ids[items[3].ID] {
			t.Errorf("an encoded subject's word: %v %v %v", ids, ok, err)
		}
		if ids, _, ok, err := s.SearchCandidates(ctx, 1, 0, "header-only-word2", store.FieldsEAS|store.FieldBodyHTML); err != nil || !ok || len(ids) != 0 {
			t.Errorf("a header's word in the other fields: %v %v %v", ids, ok, err)
		}
		if ids, _, ok, err := s.SearchCandidates(ctx, 1, 0, "München", store.FieldBodyText); err != nil || !ok || len(ids) != 0 {
			t.Errorf("a subject's word in the text: %v %v %v", ids, ok, err)
		}
		if _, _, ok, _ := s.SearchCandidates(ctx, 1, 0, " .!", store.FieldHeader); ok {
			t.Error("a text without words narrowed the search")
		}
		sameResults(t, s, 1, searchQueries)
		sameQueries(t, s, 1, []uint64{other.ID, inbox.ID})
		if err := s.DeleteFolder(ctx, 1, []uint64{other.ID}); err != nil {
			t.Fatal(err)
		}
		var left int64
		s.Gorm().Table("search_postings").Where("account_id = ? AND item_id IN ?", 1, []uint64{moved.ID, c.ID}).Count(&left)
		if left != 0 {
			t.Errorf("%d postings of a deleted folder's items left", left)
		}
		sameResults(t, s, 1, searchQueries)
		sameResults(t, s, 2, searchQueries)
	})
}

// sureOf checks what the index proves (a match it need not confirm), in which fields, and what
// it leaves to confirm.
func sureOf(t *testing.T, s *store.Store, items []*store.Item) {
	t.Helper()
	kelvin, plain := items[8].ID, items[9].ID
	for _, c := range []struct {
		text   string
		fields store.SearchField
		sure   []uint64
	}{
		{"elvin", store.FieldBodyText, []uint64{kelvin}}, // "KELVIN" in the text
		{"elvin", store.FieldSubject, []uint64{kelvin}},  // after the Kelvin sign of the subject: the text as it is
		{"kelvin", store.FieldSubject, nil},              // the Kelvin sign is not a "k" to SQLite's LIKE: confirmed, not proven
		{"tokyo", store.FieldBodyText, []uint64{plain}},  // not "ｔｏｋｙｏ"
		{"Tokyo", store.FieldSubjectHeader, nil},         // addMail's Subject header is another
		{"tokyo", store.FieldSubject, []uint64{plain}},
		{"finance", store.FieldsEAS, []uint64{plain}}, // not "ﬁnance"
		{"htmlonly", store.FieldsEAS, nil},            // only in the HTML
		{"htmlonly", store.FieldBodyHTML, []uint64{kelvin}},
		{"東", store.FieldBodyText, []uint64{items[3].ID, plain}},
		{"東京", store.FieldBodyText, []uint64{items[3].ID}}, // a pair of a sentence with voiced kana
		{"住ん", store.FieldBodyText, []uint64{items[3].ID}},
		{"東京", store.FieldFrom, nil},
		{"ﬁnance", store.FieldsEAS, []uint64{kelvin}}, // a query folding changes, proven where the text has it as it is
		{"münchen", store.FieldSubject, []uint64{items[1].ID}},
		{"MÜNCHEN", store.FieldSubject, nil}, // "München": SQLite's LIKE folds ASCII only, so confirmed
		{"muenchen", store.FieldSubject, []uint64{items[2].ID}},
		{"議事録", store.FieldSubject, []uint64{items[3].ID}}, // a triple
		{"議事録", store.FieldBodyText, nil},
		{"三時から", store.FieldBodyText, nil},                                   // four CJK characters: confirmed
		{"example.org", store.FieldFrom, []uint64{items[0].ID, items[7].ID}}, // a piece of a token
		{"example.org", store.FieldToHeader, []uint64{items[7].ID}},
		{"bang!m", store.FieldBodyText, []uint64{items[5].ID}},
		{"finance!", store.FieldsEAS, nil}, // a separator at an end: not proven
		{"!mark", store.FieldsEAS, nil},
		{"averyveryverylongpath", store.FieldBodyText, nil}, // nor one cut to its first termStep runes
	} {
		cands, sure, ok, err := s.SearchCandidates(context.Background(), 1, 0, c.text, c.fields)
		if err != nil || !ok {
			t.Fatalf("%q: %v %v", c.text, ok, err)
		}
		var got []uint64
		for _, it := range items {
			if sure[it.ID] {
				got = append(got, it.ID)
				if !cands[it.ID] {
					t.Errorf("%q: %d proven but not a candidate", c.text, it.ID)
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.sure) {
			t.Errorf("%q in %b: proven %v, want %v", c.text, c.fields, got, c.sure)
		}
	}
}

// insertOldMail writes the corpus into folder 3 of account 1 as rows of an old schema (ids 10
// on; the eighth, 17, a tombstone), with SQL of its own: the models are of the newest schema.
func insertOldMail(t *testing.T, g *gorm.DB) {
	t.Helper()
	if err := g.Exec("INSERT INTO folders (id, account_id, parent_id, display_name, type, class, last_seq, uid_validity, uid_next, dav_name, created_at, updated_at) VALUES (3, 1, 0, 'Inbox', 2, 'Email', 4, 3, 20, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
		t.Fatal(err)
	}
	for i, m := range searchCorpus {
		mime := "Subject: " + m.subject + "\r\n\r\n" + m.text
		if err := g.Exec("INSERT INTO items (id, account_id, folder_id, mod_seq, deleted, class, message_id, from_addr, to_addr, subject, body_text, body_html, mime, `read`, flagged, importance, size, uid, imap_flags, dav_name, received_at, created_at, updated_at) VALUES (?, 1, 3, ?, ?, 'Email', '', ?, ?, ?, ?, ?, ?, false, false, 1, 0, ?, '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
			10+i, i+1, i == 7, m.from, m.to, m.subject, m.text, m.html, []byte(mime), 10+i).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// Mail stored before 0020 is indexed by the upgrade.
func TestUpgradeIndexesMail(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0017_dav_names"); err != nil {
			t.Fatal(err)
		}
		g := old.Gorm()
		insertOldMail(t, g)
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		sameResults(t, s, 1, searchQueries)
		for q, want := range map[string][]uint64{"東京": {14, 13}, "münchen": {11}, "lunch": {}} { // 17 is a tombstone
			got, _ := searchIDs(t, s, 1, q, true)
			if strings.Join(strings.Fields(fmt.Sprint(got)), ",") != strings.Join(strings.Fields(fmt.Sprint(want)), ",") {
				t.Errorf("after upgrade %q = %v, want %v", q, got, want)
			}
		}
		if ids, _, ok, err := s.SearchCandidates(ctx, 1, 0, "議事録", store.FieldSubject); err != nil || !ok || !ids[13] {
			t.Errorf("candidates after upgrade: %v %v %v", ids, ok, err)
		}
	})
}

// 0032 and 0035 make the index anew: 0020's postings (32-bit hashes, no exact fields, no folder
// or arrival) are gone, the mail is found and proven as mail stored since.
func TestUpgradeRemakesIndex(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0025_web_sessions"); err != nil {
			t.Fatal(err)
		}
		g := old.Gorm()
		insertOldMail(t, g)
		for i := range searchCorpus {
			// 0020's rows: a 32-bit hash, no exact fields
			if err := g.Exec("INSERT INTO search_postings (account_id, word, item_id) VALUES (1, ?, ?)", 1000+i, 10+i).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := g.Exec("INSERT INTO search_suffixes (suffix, word) VALUES (?, 1000)", "stale").Error; err != nil {
			t.Fatal(err)
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		var stale, exact, unplaced int64
		s.Gorm().Table("search_postings").Where("word BETWEEN 1000 AND 1100").Count(&stale)
		s.Gorm().Table("search_postings").Where("exact <> 0").Count(&exact)
		s.Gorm().Table("search_postings").Where("folder_id <> 3 OR received = 0").Count(&unplaced) // 0035
		if stale != 0 || exact == 0 || unplaced != 0 {
			t.Errorf("after upgrade: %d postings of 0020, %d with exact fields, %d without their folder and arrival", stale, exact, unplaced)
		}
		sameResults(t, s, 1, searchQueries)
		if _, sure, ok, err := s.SearchCandidates(ctx, 1, 0, "tokyo", store.FieldBodyText); err != nil || !ok || !sure[19] || sure[18] {
			t.Errorf("proven after upgrade: %v %v %v", sure, ok, err)
		}
	})
}

// Deliveries side by side share new words: none of them fails (InnoDB locks the same keys in
// the same order), and every one is found.
func TestSearchIndexConcurrentDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var folders []*store.Folder
		for w := 0; w < 4; w++ {
			f := &store.Folder{AccountID: uint64(1 + w%2), DisplayName: fmt.Sprint("Inbox", w), Type: 12, Class: "Email"}
			if err := s.CreateFolder(ctx, f); err != nil {
				t.Fatal(err)
			}
			folders = append(folders, f)
		}
		words := strings.Fields("zebra yak xerus wombat vole urchin tapir stoat raven quail puma otter newt moose lynx kiwi")
		errs := make(chan error, len(folders))
		for w, f := range folders {
			go func() {
				for i := 0; i < 10; i++ {
					var b strings.Builder
					for k := range words {
						b.WriteString(words[(k*(w+1)+i)%len(words)] + fmt.Sprint(i%3) + " ")
					}
					it := &store.Item{AccountID: f.AccountID, FolderID: f.ID, Class: "Email", Subject: "common", BodyText: b.String()}
					if err := s.AddItem(ctx, it); err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		for range folders {
			if err := <-errs; err != nil {
				t.Fatalf("a delivery failed: %v", err)
			}
		}
		for acct := uint64(1); acct <= 2; acct++ {
			if _, total := searchIDs(t, s, acct, "common", true); total != 20 {
				t.Errorf("account %d: %d messages found, want 20", acct, total)
			}
			sameResults(t, s, acct, []string{"zebra", "otter2", "common", "lynx0"})
		}
	})
}
