package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// searchOptions: `easload search` fills the Inbox of search@load.test with generated mail and
// times free-text search on it, in-process: EAS Search's store call (what the Search handler
// waits on: Class, Folder and FreeText, the first 10 results and the total) and IMAP SEARCH
// over a real session on an IMAP door it serves on loopback. Each query runs without the
// search index (the LIKE or read-every-message scan of before) and with it, in one run, and
// both must give the same answer.
type searchOptions struct {
	Messages    int
	BeforeReps  int // rounds of the query list without the index (slow: a full scan each)
	AfterReps   int // rounds with the index
	IMAPQueries int // of the query list, how many IMAP runs without the index
	FillOnly    bool
	Record      recordOptions
}

func runSearch(cfg config.Config, o searchOptions) error {
	ctx := context.Background()
	cfg.MailPlaintextLoopback = true // the IMAP door below listens on loopback only
	a, err := app.Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer a.Close()
	email := "search@" + loadDomain
	acct, err := a.Store.AccountByEmail(ctx, email)
	if err != nil {
		if _, err := a.Store.DomainByName(ctx, loadDomain); err != nil {
			if _, err := a.Accounts.CreateDomain(ctx, "easload", loadDomain); err != nil {
				return err
			}
		}
		if acct, _, err = a.Accounts.Create(ctx, "easload", account.CreateInput{Email: email, Password: loadPassword}); err != nil {
			return err
		}
	}
	_, secret, err := a.Credentials.Create(ctx, acct, "app_passcode", "search "+strconv.FormatInt(time.Now().UnixNano(), 36), "127.0.0.1")
	if err != nil {
		return err
	}
	inbox, err := a.Mailbox.FolderByType(ctx, acct.ID, mailbox.TypeInbox)
	if err != nil {
		return err
	}
	corpus := newSearchCorpus()
	have, _, err := a.Mailbox.Counts(ctx, acct.ID, inbox.ID)
	if err != nil {
		return err
	}
	// Parsed as a delivery parses, stored 500 to a transaction (a delivery commits each).
	start := time.Now()
	for lo := int(have); lo < o.Messages; lo += 500 {
		var batch []*store.Item
		for i := lo; i < min(lo+500, o.Messages); i++ {
			raw := corpus.message(i)
			p, err := mailbox.Parse(raw, time.Now())
			if err != nil {
				return err
			}
			batch = append(batch, &store.Item{AccountID: acct.ID, FolderID: inbox.ID, Class: mailbox.ClassEmail, ReceivedAt: p.Date,
				MessageID: p.MessageID, FromAddr: p.From, ToAddr: p.To, CcAddr: p.Cc, Subject: p.Subject, BodyText: p.Text, BodyHTML: p.HTML,
				MIME: raw, Size: int64(len(raw))})
		}
		if err := a.Store.AddItems(ctx, batch); err != nil {
			return err
		}
	}
	if n := o.Messages - int(have); n > 0 {
		el := time.Since(start)
		fmt.Printf("stored %d messages for %s in %s (%.0f/s, indexed as they arrive)\n", n, email, el.Round(time.Millisecond), float64(n)/el.Seconds())
	}
	if o.FillOnly {
		return nil
	}
	if err := storageFigures(ctx, a.Store, acct.ID, o); err != nil {
		return err
	}

	srv := a.NewIMAPServer(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go srv.Serve(ln)
	defer srv.Close()
	ic, err := dialIMAP(ln.Addr().String())
	if err != nil {
		return err
	}
	defer ic.c.Close()
	if _, err := ic.ok("LOGIN " + email + " " + secret.Password); err != nil {
		return err
	}
	if _, err := ic.ok("SELECT INBOX"); err != nil {
		return err
	}

	easQuery := func(text string) store.MailQuery {
		return store.MailQuery{And: []store.MailQuery{{Class: "Email"}, {Folders: []uint64{inbox.ID}}, {Text: text}}}
	}
	type answer struct {
		n     int
		total int64
	}
	eas := func(q string) (answer, time.Duration, error) {
		t0 := time.Now()
		items, total, err := a.Store.SearchMail(ctx, acct.ID, easQuery(q), 0, 10)
		return answer{len(items), total}, time.Since(t0), err
	}
	imapKeys := []string{"TEXT", "BODY", "SUBJECT"}
	imapSearch := func(key, q string) (answer, time.Duration, error) {
		t0 := time.Now()
		lines, err := ic.lines(fmt.Sprintf("SEARCH CHARSET UTF-8 %s %q", key, q))
		el := time.Since(t0)
		if err != nil {
			return answer{}, el, err
		}
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "* SEARCH") {
				n = len(strings.Fields(l)) - 2
			}
		}
		return answer{n: n}, el, nil
	}
	measure := func(index bool, qs []string, reps, imapQueries int) (easLat, imapLat []time.Duration, easAns, imapAns map[string]answer, err error) {
		a.Store.UseSearchIndex(index)
		defer a.Store.UseSearchIndex(true)
		easAns, imapAns = map[string]answer{}, map[string]answer{}
		for r := 0; r < reps; r++ {
			for i, q := range qs {
				ans, el, err := eas(q)
				if err != nil {
					return nil, nil, nil, nil, err
				}
				easLat, easAns[q] = append(easLat, el), ans
				if index && r == reps-1 {
					fmt.Printf("  %q: %d results of %d, %s\n", q, ans.n, ans.total, ms(el))
				}
				if i >= imapQueries {
					continue
				}
				for _, k := range imapKeys {
					ans, el, err := imapSearch(k, q)
					if err != nil {
						return nil, nil, nil, nil, err
					}
					imapLat, imapAns[k+" "+q] = append(imapLat, el), ans
					if index && r == reps-1 {
						fmt.Printf("    IMAP %s %q: %d, %s\n", k, q, ans.n, ms(el))
					}
				}
			}
		}
		return easLat, imapLat, easAns, imapAns, nil
	}
	n := strconv.Itoa(o.Messages)
	fig := func(old, cur []time.Duration) string {
		return fmt.Sprintf("p50 %s → %s, p99 %s → %s (%d → %d searches)", ms(pct(old, 0.5)), ms(pct(cur, 0.5)), ms(pct(old, 0.99)), ms(pct(cur, 0.99)), len(old), len(cur))
	}
	// compare runs qs without the index, then with it, checks that both answer the same, and
	// records the latencies.
	compare := func(what string, qs []string, beforeReps, afterReps, imapBefore int) error {
		fmt.Printf("%s: %d queries, %d rounds without the index (IMAP: the first %d), %d with it\n", what, len(qs), beforeReps, imapBefore, afterReps)
		if o.BeforeReps == 0 { // --before-reps 0: the index alone, nothing compared or recorded (a quick look)
			easNew, imapNew, _, _, err := measure(true, qs, afterReps, len(qs))
			if err == nil {
				fmt.Printf("  EAS p50 %s p99 %s, IMAP p50 %s p99 %s\n", ms(pct(easNew, 0.5)), ms(pct(easNew, 0.99)), ms(pct(imapNew, 0.5)), ms(pct(imapNew, 0.99)))
			}
			return err
		}
		easOld, imapOld, easOldAns, imapOldAns, err := measure(false, qs, beforeReps, imapBefore)
		if err != nil {
			return err
		}
		easNew, imapNew, easNewAns, imapNewAns, err := measure(true, qs, afterReps, len(qs))
		if err != nil {
			return err
		}
		for q, ans := range easOldAns {
			if easNewAns[q] != ans {
				return fmt.Errorf("EAS search %q: %+v with the index, %+v without", q, easNewAns[q], ans)
			}
		}
		for q, ans := range imapOldAns {
			if imapNewAns[q] != ans {
				return fmt.Errorf("IMAP SEARCH %s: %d with the index, %d without", q, imapNewAns[q].n, ans.n)
			}
		}
		if err := o.Record.add("search: EAS Search (store call) over "+n+" messages, "+what+", LIKE scan → index", fig(easOld, easNew)); err != nil {
			return err
		}
		return o.Record.add("search: IMAP SEARCH TEXT/BODY/SUBJECT over "+n+" messages, "+what+", scan → index", fig(imapOld, imapNew))
	}
	if err := compare("typical queries", corpus.queries(), o.BeforeReps, o.AfterReps, o.IMAPQueries); err != nil {
		return err
	}
	return compare("a word in most messages", corpus.commonQueries(), 1, 3, 1)
}

func pct(lat []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), lat...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	return quantile(s, p)
}

// lines sends a command and returns its untagged response lines.
func (ic *imapConn) lines(raw string) ([]string, error) {
	ic.tag++
	tag := "e" + strconv.Itoa(ic.tag)
	ic.c.SetDeadline(time.Now().Add(5 * time.Minute))
	if _, err := io.WriteString(ic.c, tag+" "+raw+"\r\n"); err != nil {
		return nil, err
	}
	var out []string
	for {
		l, err := ic.line()
		if err != nil {
			return out, err
		}
		if strings.HasPrefix(l, tag+" ") {
			if st := l[len(tag)+1:]; !strings.HasPrefix(st, "OK") {
				return out, fmt.Errorf("%s: %s", firstWord(raw), st)
			}
			return out, nil
		}
		out = append(out, l)
	}
}
