package appleprofile_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

var servers = appleprofile.Servers{PublicURL: "https://mail.example.com",
	Doors: []appleprofile.Door{{Protocol: "imap", Host: "mail.example.com", Port: 143, Security: "starttls"},
		{Protocol: "smtp", Host: "mail.example.com", Port: 587, Security: "starttls"}}}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(s *store.Store, c *clock) *appleprofile.Service {
	return appleprofile.New(appleprofile.Deps{Store: s, Key: []byte("0123456789abcdef0123456789abcdef"),
		PublicURL: "https://mail.example.com/", Now: c.now})
}

func req(account, cred uint64) appleprofile.Request {
	return appleprofile.Request{AccountID: account, Email: "erin@example.com", CredentialID: cred,
		Kind: appleprofile.KindAppPasscode, Label: "Laptop", Password: "ABCD-EFGH-JKLM-NPQR"}
}

// One download, by the owner or the token alone; never after Lifetime; never by another
// account; and the row never holds the password in clear.
func TestOneTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := &clock{t: time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)}
		svc := newService(s, c)
		iss, err := svc.Issue(ctx, req(7, 11), servers)
		if err != nil {
			t.Fatal(err)
		}
		if iss.URL != "https://mail.example.com/api/v1/apple-profiles/"+iss.Token || !iss.ExpiresAt.Equal(c.t.Add(10*time.Minute)) {
			t.Fatalf("issued %+v", iss)
		}
		var rows []store.AppleProfile
		if err := s.Gorm().Find(&rows).Error; err != nil || len(rows) != 1 {
			t.Fatalf("rows %d %v", len(rows), err)
		}
		if bytes.Contains(rows[0].Sealed, []byte("ABCD-EFGH")) || bytes.Contains(rows[0].Sealed, []byte("plist")) || rows[0].ID == iss.Token {
			t.Fatal("the stored profile is readable, or keyed by the token itself")
		}
		// Another account: refused, and the profile stays for its owner.
		if _, err := svc.Take(ctx, iss.Token, 8); !errors.Is(err, appleprofile.ErrGone) {
			t.Fatalf("other account: %v", err)
		}
		for _, bad := range []string{"", "x", iss.Token[:42], iss.Token + "A", "../../etc/passwd"} {
			if _, err := svc.Take(ctx, bad, 0); !errors.Is(err, appleprofile.ErrGone) {
				t.Fatalf("token %q: %v", bad, err)
			}
		}
		c.t = c.t.Add(9 * time.Minute)
		body, err := svc.Take(ctx, iss.Token, 7)
		if err != nil || !bytes.Contains(body, []byte("ABCD-EFGH-JKLM-NPQR")) {
			t.Fatalf("owner: %v %s", err, body)
		}
		var p map[string]any
		if _, err := plist.Unmarshal(body, &p); err != nil || p["PayloadType"] != "Configuration" {
			t.Fatalf("not a profile: %v %v", err, p)
		}
		if _, err := svc.Take(ctx, iss.Token, 7); !errors.Is(err, appleprofile.ErrGone) {
			t.Fatalf("second download: %v", err)
		}

		// Expired: refused even to its owner, and the row goes.
		late, err := svc.Issue(ctx, req(7, 12), servers)
		if err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(10 * time.Minute)
		if _, err := svc.Take(ctx, late.Token, 0); !errors.Is(err, appleprofile.ErrGone) {
			t.Fatalf("expired: %v", err)
		}
		// Housekeeping drops what nobody fetched; deleting the credential drops its profiles.
		old, _ := svc.Issue(ctx, req(7, 13), servers)
		kept, _ := svc.Issue(ctx, req(7, 14), servers)
		dropped, _ := svc.Issue(ctx, req(7, 15), servers)
		if err := svc.ForgetCredential(ctx, 7, 15); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Take(ctx, dropped.Token, 7); !errors.Is(err, appleprofile.ErrGone) {
			t.Fatalf("deleted credential: %v", err)
		}
		c.t = c.t.Add(11 * time.Minute)
		if n, err := svc.Prune(ctx); err != nil || n != 2 {
			t.Fatalf("prune: %d %v", n, err)
		}
		_, _ = old, kept
	})
}

// Two downloads at once: exactly one gets the profile.
func TestConcurrentTake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(s, &clock{t: time.Now()})
		iss, err := svc.Issue(ctx, req(1, 1), servers)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 4)
		for range 4 {
			go func() { _, err := svc.Take(ctx, iss.Token, 0); got <- err }()
		}
		ok := 0
		for range 4 {
			if err := <-got; err == nil {
				ok++
			} else if !errors.Is(err, appleprofile.ErrGone) {
				t.Fatal(err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d downloads succeeded", ok)
		}
	})
}
