package app_test

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

// scopedDoors is a configured App with its IMAP, POP3 and submission doors open (plaintext
// from loopback) and its HTTP handler (for DAV) served.
type scopedDoors struct {
	app              *app.App
	py, curl         string
	imap, pop3, smtp string // host:port
	web              string // base URL
	acct             *store.Account
}

func openScopedDoors(t *testing.T, b storetest.Backend) *scopedDoors {
	py := testenv.RequireTool(t, "python3", "python3")
	curl := testenv.RequireTool(t, "curl", "curl")
	// Every refusal below is meant; the account's failures must not throttle the next door.
	saved := app.AccountThrottle
	app.AccountThrottle = throttle.Policy{Free: 1000, Base: time.Second, Max: time.Minute, Window: time.Hour}
	t.Cleanup(func() { app.AccountThrottle = saved })
	env := map[string]string{"TESSERA_DATA_DIR": t.TempDir(), "TESSERA_DB_DRIVER": b.Driver, "TESSERA_DB_DSN": b.DSN,
		"TESSERA_IMAP_LISTEN": "127.0.0.1:0", "TESSERA_POP3_LISTEN": "127.0.0.1:0", "TESSERA_SUBMISSION_LISTEN": "127.0.0.1:0",
		"TESSERA_MAIL_PLAINTEXT_LOOPBACK": "true"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	doors, closeAll, err := a.OpenDoors(selfSigned(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeAll)
	e := &scopedDoors{app: a, py: py, curl: curl}
	for _, d := range doors {
		switch d.Name {
		case "imap":
			e.imap = d.Addr
		case "pop3":
			e.pop3 = d.Addr
		case "submission":
			e.smtp = d.Addr
		}
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.web = srv.URL
	ctx := t.Context()
	d, err := a.Store.CreateDomain(ctx, "example.com")
	if err != nil {
		t.Fatal(err)
	}
	e.acct = &store.Account{Email: "ann@example.com", DomainID: d.ID, PasswordHash: "x", Role: store.RoleUser, Status: store.StatusActive}
	if err := a.Store.CreateAccount(ctx, e.acct); err != nil {
		t.Fatal(err)
	}
	return e
}

func port(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// mail tries secret on the three mail doors with Python's imaplib, poplib and smtplib.
func (e *scopedDoors) mail(t *testing.T, secret string) map[string]string {
	t.Helper()
	out, err := exec.Command(e.py, "testdata/scoped_doors.py", "127.0.0.1", port(e.imap), port(e.pop3), port(e.smtp), e.acct.Email, secret).CombinedOutput()
	if err != nil {
		t.Fatalf("scoped_doors.py: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(l, ": ")
		got[k] = v
	}
	return got
}

// dav is the HTTP status curl gets for a PROPFIND of the CalDAV home and of the CardDAV home.
func (e *scopedDoors) dav(t *testing.T, secret string) (caldav, carddav string) {
	t.Helper()
	status := func(path string) string {
		out, err := exec.Command(e.curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PROPFIND", "-H", "Depth: 0",
			"-u", e.acct.Email+":"+secret, e.web+path).Output()
		if err != nil {
			t.Fatalf("curl %s: %v", path, err)
		}
		return string(out)
	}
	return status("/dav/calendars/" + e.acct.Email + "/"), status("/dav/addressbooks/" + e.acct.Email + "/")
}

func outcome(v string) string {
	if v == "ok" {
		return "ok"
	}
	return "refused"
}

// A passcode opens the doors it was scoped to and no other, through outside clients; it stops
// at its expiry (the authenticator's clock moved on); the last use's address is kept.
func TestScopedPasscodeAtTheDoors(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		e := openScopedDoors(t, b)
		ctx := t.Context()
		imapOnly, sec1, err := e.app.Credentials.CreatePasscode(ctx, e.acct, "Thunderbird", credential.Scope{Services: []string{"imap"}, ExpiresInDays: 30}, "")
		if err != nil {
			t.Fatal(err)
		}
		_, sec2, err := e.app.Credentials.CreatePasscode(ctx, e.acct, "Phone", credential.Scope{Services: []string{"pop3", "smtp", "caldav", "carddav"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		got := e.mail(t, sec1.Password)
		if outcome(got["imap"]) != "ok" || outcome(got["pop3"]) != "refused" || outcome(got["smtp"]) != "refused" {
			t.Errorf("imap-only passcode: %v", got)
		}
		if cal, card := e.dav(t, sec1.Password); cal != "401" || card != "401" {
			t.Errorf("imap-only passcode on DAV: %s, %s; want 401, 401", cal, card)
		}
		got = e.mail(t, sec2.Password)
		if outcome(got["imap"]) != "refused" || outcome(got["pop3"]) != "ok" || outcome(got["smtp"]) != "ok" {
			t.Errorf("pop3+smtp+dav passcode: %v", got)
		}
		if cal, card := e.dav(t, sec2.Password); cal != "207" || card != "207" {
			t.Errorf("pop3+smtp+dav passcode on DAV: %s, %s; want 207, 207", cal, card)
		}
		c, err := e.app.Store.CredentialByID(ctx, imapOnly.ID)
		if err != nil || c.LastUsedIP != "127.0.0.1" || c.LastUsedAt == nil {
			t.Errorf("last use of the imap passcode: %v from %q (%v)", c.LastUsedAt, c.LastUsedIP, err)
		}
		// 31 days on: the 30-day passcode is refused; the one without expiry still works.
		e.app.Authn.SetClock(func() time.Time { return time.Now().Add(31 * 24 * time.Hour) })
		if got := e.mail(t, sec1.Password); outcome(got["imap"]) != "refused" {
			t.Errorf("expired passcode at IMAP: %v", got)
		}
		if got := e.mail(t, sec2.Password); outcome(got["pop3"]) != "ok" {
			t.Errorf("passcode without expiry at POP3 after 31 days: %v", got)
		}
	})
}

// An administrator narrowing a passcode ends its open IMAP session at once (the change is
// account-wide, as a deletion's is), and cannot widen it again.
func TestNarrowedPasscodeEndsItsSession(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		e := openScopedDoors(t, b)
		ctx := t.Context()
		c, sec, err := e.app.Credentials.CreatePasscode(ctx, e.acct, "Thunderbird", credential.Scope{Services: []string{"imap", "smtp"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(e.py, "testdata/scoped_doors.py", "127.0.0.1", port(e.imap), port(e.pop3), port(e.smtp), e.acct.Email, sec.Password, "hold")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Wait()
		lines := bufio.NewScanner(stdout)
		if !lines.Scan() || lines.Text() != "imap_held: ok" {
			t.Fatalf("imaplib: %q", lines.Text())
		}
		sc := admin.Scope{Global: true, Actor: "admin@example.com"}
		if _, err := e.app.Admin().PatchCredential(ctx, sc, c.ID, admin.CredentialPatch{Services: []string{"smtp"}}, ""); err != nil {
			t.Fatal(err)
		}
		io.WriteString(stdin, "go\n")
		stdin.Close()
		if !lines.Scan() || !strings.HasPrefix(lines.Text(), "imap_after: closed") {
			t.Errorf("the IMAP session of a passcode narrowed to smtp: %q", lines.Text())
		}
		for _, widen := range [][]string{{"smtp", "imap"}, {"pop3"}} {
			if _, err := e.app.Admin().PatchCredential(ctx, sc, c.ID, admin.CredentialPatch{Services: widen}, ""); err == nil {
				t.Errorf("widened to %v", widen)
			}
		}
		later := time.Now().Add(time.Hour)
		if _, err := e.app.Admin().PatchCredential(ctx, sc, c.ID, admin.CredentialPatch{ExpiresAt: &later}, ""); err != nil {
			t.Fatalf("bringing a never-expiring passcode's expiry forward: %v", err)
		}
		evenLater := later.Add(time.Hour)
		if _, err := e.app.Admin().PatchCredential(ctx, sc, c.ID, admin.CredentialPatch{ExpiresAt: &evenLater}, ""); err == nil {
			t.Error("expiry put back")
		}
		if _, err := e.app.Admin().PatchCredential(ctx, sc, c.ID, admin.CredentialPatch{ClearExpiry: true}, ""); err == nil {
			t.Error("expiry cleared")
		}
		got, _ := e.app.Store.CredentialByID(ctx, c.ID)
		if got.Services != "smtp" || got.ExpiresAt == nil {
			t.Errorf("after the admin's edits: %q expiring %v", got.Services, got.ExpiresAt)
		}
	})
}
