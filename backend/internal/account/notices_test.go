package account

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type recorded struct {
	mu   sync.Mutex
	sent []notice.Notice
}

func (r *recorded) Notify(_ context.Context, _ *store.Account, n notice.Notice) {
	r.mu.Lock()
	r.sent = append(r.sent, n)
	r.mu.Unlock()
}

func TestNetwork(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.7": "192.0.2.0/24", "::ffff:192.0.2.200": "192.0.2.0/24",
		"2001:db8:1:2:3::9": "2001:db8:1:2::/64", "not an address": "not an address", "": ""} {
		if got := Network(in); got != want {
			t.Errorf("Network(%q) = %q, want %q", in, got, want)
		}
	}
}

// "Seen" is the same browser and system from the same network within BrowserMemory; the
// account's first sign-in on record has nothing to compare with.
func TestNewBrowserSeen(t *testing.T) {
	const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	const firefoxNext = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		d, _ := st.CreateDomain(ctx, "example.com")
		a := &store.Account{Email: "ann@example.com", DomainID: d.ID, PasswordHash: "h", Role: store.RoleUser, Status: store.StatusActive}
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		rec := &recorded{}
		s := &Service{store: st, now: func() time.Time { return now }, notices: rec}
		n := 0
		signIn := func(ua, ip string, at time.Time) {
			n++
			if err := st.CreateWebSession(ctx, &store.WebSession{AccountID: a.ID, JTI: fmt.Sprintf("jti-%d", n), CreatedAt: at,
				ExpiresAt: at.Add(time.Hour), IP: ip, UserAgent: ua}); err != nil {
				t.Fatal(err)
			}
		}
		s.noticeNewBrowser(ctx, a, Client{IP: "192.0.2.7", UserAgent: firefox})
		if len(rec.sent) != 0 {
			t.Fatalf("first sign-in on record: %+v", rec.sent)
		}
		signIn(firefox, "192.0.2.7", now.Add(-24*time.Hour))
		for _, c := range []struct {
			cl  Client
			new bool
		}{
			{Client{IP: "192.0.2.7", UserAgent: firefox}, false},
			{Client{IP: "192.0.2.99", UserAgent: firefoxNext}, false}, // a newer Firefox, another address of the network
			{Client{IP: "192.0.2.7", UserAgent: chrome}, true},        // another browser
			{Client{IP: "198.51.100.7", UserAgent: firefox}, true},    // another network
		} {
			rec.sent = nil
			s.noticeNewBrowser(ctx, a, c.cl)
			if got := len(rec.sent) == 1; got != c.new || len(rec.sent) > 1 {
				t.Fatalf("%+v: notices %+v, want new=%v", c.cl, rec.sent, c.new)
			}
			if c.new && (rec.sent[0].Event != notice.NewBrowser || rec.sent[0].Address != c.cl.IP || rec.sent[0].Browser != Browser(c.cl.UserAgent)) {
				t.Fatalf("notice %+v", rec.sent[0])
			}
		}
		// Past BrowserMemory a browser is forgotten.
		now = now.Add(BrowserMemory)
		signIn(chrome, "203.0.113.1", now.Add(-time.Hour))
		rec.sent = nil
		s.noticeNewBrowser(ctx, a, Client{IP: "192.0.2.7", UserAgent: firefox})
		if len(rec.sent) != 1 {
			t.Fatalf("a browser last seen %v ago: %+v", BrowserMemory+24*time.Hour, rec.sent)
		}
	})
}
