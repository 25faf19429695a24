package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

const (
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	chrome  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	annPw   = "Plum-Orchard-Lantern-42"
)

type imapNotice struct{ Event, Subject, From, Body string }

// stepClock is the OTP service's time: TOTP steps on demand, no sleeping.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) step()          { c.mu.Lock(); c.t = c.t.Add(30 * time.Second); c.mu.Unlock() }

// Every event of issue 19's list puts exactly one notice into the user's Inbox, seen by a
// phone over EAS and by Python's imaplib over IMAP, holding none of the secrets involved; an
// event the setting turns off sends none; a browser seen before does not count as new.
func TestSecurityNoticesEndToEnd(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		relay := apptest.StartRelay(t)
		s := apptest.Start(t, b, apptest.Options{SecurityNotices: true, PublicURL: "https://mail.example.com", SMTPRelay: relay.Addr, Configure: func(c *config.Config) {
			c.IMAPListen, c.MailPlaintextLoopback = "127.0.0.1:0", true
		}})
		doors, closeDoors, err := s.App.OpenDoors(selfSigned(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(closeDoors)
		imapAddr := ""
		for _, d := range doors {
			if d.Name == "imap" {
				imapAddr = d.Addr
			}
		}
		clk := &stepClock{t: time.Now().Truncate(30 * time.Second)}
		s.App.OTP.WithClock(clk.now)
		ctx := t.Context()
		ann, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "ann@example.com", Password: annPw, Role: store.RoleUser})
		if err != nil {
			t.Fatal(err)
		}
		admin := eastest.AdminClient(t, s)
		var secrets []string // nothing of these may reach a notice
		do := func(c *apptest.Client, method, path string, body any, want int) *apptest.Response {
			t.Helper()
			r := c.Do(method, path, body)
			if r.StatusCode != want {
				t.Fatalf("%s %s: %d %s", method, path, r.StatusCode, r.Body)
			}
			return r
		}
		browser := func(ua string) *apptest.Client {
			c := s.Client()
			c.Header.Set("User-Agent", ua)
			return c
		}
		setNotices := func(events ...notice.Event) {
			do(admin, "PATCH", "/api/v1/admin/settings", map[string]any{"securityNotices": events}, 200)
		}
		inboxCount := func() int { s.App.Notices.Flush(); return len(eastest.FolderItems(t, s, ann.Email, 2)) }

		// The first sign-in of an account has nothing to compare with: no notice.
		web := browser(firefox)
		web.Login(ann.Email, annPw)
		if n := inboxCount(); n != 0 {
			t.Fatalf("first sign-in: %d notices", n)
		}

		// credential_created (EAS password), then new_device when the phone first syncs.
		var created struct {
			Credential struct{ ID uint64 }
			Secret     struct {
				Password, OTPAuthURL, Secret string
				PINCodes                     []string
			}
		}
		do(web, "POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": "Phone"}, 201).JSON(t, &created)
		easPw := created.Secret.Password
		secrets = append(secrets, easPw, strings.ReplaceAll(easPw, "-", ""))
		phone := &eastest.Phone{Client: easclient.Client{BaseURL: s.URL, User: ann.Email, Pass: easPw, DeviceID: "NOTICE1", DeviceType: "iPhone", Version: "14.1"}}
		if _, err := phone.Provision(); err != nil {
			t.Fatal(err)
		}
		inbox := eastest.FolderOfType(eastest.OK(t)(phone.FolderSync("0")).Body, "2")

		// credential_created and credential_deleted (application passcode).
		do(web, "POST", "/api/v1/credentials", map[string]string{"kind": "app_passcode", "label": "Laptop"}, 201).JSON(t, &created)
		secrets = append(secrets, created.Secret.Password, strings.ReplaceAll(created.Secret.Password, "-", ""))
		do(web, "DELETE", fmt.Sprintf("/api/v1/credentials/%d", created.Credential.ID), nil, 204)

		// An OTP entry announces itself once confirmed (credential_created), not while pending.
		do(admin, "PATCH", "/api/v1/admin/settings", map[string]any{"pinCodesPerEntry": 4}, 200)
		do(web, "POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": "Authenticator"}, 201).JSON(t, &created)
		seed, pins := created.Secret.Secret, created.Secret.PINCodes
		secrets = append(secrets, append([]string{seed, created.Secret.OTPAuthURL}, pins...)...)
		code, _ := totp.GenerateCode(seed, clk.now())
		do(web, "POST", fmt.Sprintf("/api/v1/credentials/%d/confirm", created.Credential.ID), map[string]string{"code": code}, 200)
		do(web, "PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}, 200)

		// A browser never seen (new_browser), signing in with a PIN; the same browser again
		// is no news, and its PIN leaves 2 unused (pin_codes_low).
		for i, pin := range pins[:2] {
			other := browser(chrome)
			var lr struct{ Challenge string }
			do(other, "POST", "/api/v1/auth/login", map[string]string{"username": ann.Email, "password": annPw}, 200).JSON(t, &lr)
			do(other, "POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": lr.Challenge, "code": pin}, 200)
			if i == 0 {
				if n := inboxCount(); n != 6 { // EAS password, device, passcode ×2, OTP entry, the new browser
					t.Fatalf("after the new browser's sign-in: %d notices, want 6", n)
				}
			}
		}
		do(web, "PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": false}, 200) // two_factor_off

		// otp_locked: ten wrong codes in a row (at the service: the sign-in throttle would
		// slow the same through the API down to minutes).
		for range 10 {
			_ = s.App.OTP.Verify(ctx, ann, "000000", "192.0.2.9")
		}

		// password_changed by the user, password_reset by an administrator.
		const next = "Quince-Harbour-Meadow-77"
		do(web, "PUT", "/api/v1/me/password", map[string]string{"currentPassword": annPw, "newPassword": next}, 204)
		var reset struct{ Password string }
		do(admin, "POST", "/api/v1/admin/accounts/"+url.PathEscape(ann.Email)+"/password", map[string]any{}, 200).JSON(t, &reset)
		secrets = append(secrets, annPw, next, reset.Password)

		// An administrator's credential for the account, and its deletion by an administrator.
		do(admin, "POST", "/api/v1/admin/accounts/"+url.PathEscape(ann.Email)+"/credentials", map[string]string{"kind": "eas", "label": "Car"}, 201).JSON(t, &created)
		secrets = append(secrets, created.Secret.Password, strings.ReplaceAll(created.Secret.Password, "-", ""))
		do(admin, "DELETE", fmt.Sprintf("/api/v1/admin/credentials/%d", created.Credential.ID), nil, 204)

		// A turned-off event sends nothing: another passcode made with credential_created off.
		setNotices(notice.CredentialDeleted, notice.PasswordChanged, notice.PasswordReset, notice.NewDevice, notice.TwoFactorOff,
			notice.NewBrowser, notice.OTPLocked, notice.PINCodesLow)
		pc := browser(firefox) // seen before: no new_browser either
		pc.Login(ann.Email, reset.Password)
		do(pc, "POST", "/api/v1/credentials", map[string]string{"kind": "app_passcode", "label": "Spare"}, 201).JSON(t, &created)
		imapSecret := created.Secret.Password
		setNotices(notice.Events...)

		// recovery_changed: the Inbox has it, and the new address through the relay, the same
		// text. (Until now the account had no recovery address: nothing was relayed.)
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("%d messages relayed before a recovery address was set", n)
		}
		do(pc, "PUT", "/api/v1/me/recovery-email", map[string]string{"recoveryEmail": "ann@elsewhere.org"}, 200)
		s.App.Notices.Flush()
		if r := relay.Messages(); len(r) != 1 || strings.Join(r[0].To, ",") != "ann@elsewhere.org" ||
			!strings.Contains(r[0].Data, "The recovery address of your account "+ann.Email+" was set to ann@elsewhere.org") {
			t.Fatalf("relayed: %+v", r)
		}

		// Over IMAP (Python's imaplib): one notice per event, no secret.
		s.App.Notices.Flush()
		out, err := exec.Command(py, "testdata/notices_imap.py", "127.0.0.1", port(imapAddr), ann.Email, imapSecret).CombinedOutput()
		if err != nil {
			t.Fatalf("notices_imap.py: %v\n%s", err, out)
		}
		want := map[string]int{"credential_created": 4, "credential_deleted": 2, "new_device": 1, "new_browser": 1,
			"pin_codes_low": 1, "two_factor_off": 1, "otp_locked": 1, "password_changed": 1, "password_reset": 1, "recovery_changed": 1}
		got := map[string]int{}
		var subjects []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var m imapNotice
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%v: %s", err, l)
			}
			got[m.Event]++
			subjects = append(subjects, m.Subject)
			for _, sec := range secrets {
				if sec != "" && (strings.Contains(m.Body, sec) || strings.Contains(m.Subject, sec)) {
					t.Fatalf("notice %s holds a secret %q:\n%s", m.Event, sec, m.Body)
				}
			}
			if m.Event == "credential_deleted" && strings.Contains(m.Body, "Car") && !strings.Contains(m.Body, "by an administrator") {
				t.Fatalf("an administrator's deletion: %s", m.Body)
			}
			if m.Event == "new_browser" && (!strings.Contains(m.Body, "Chrome on Windows") || !strings.Contains(m.Body, "127.0.0.1")) {
				t.Fatalf("new browser notice: %s", m.Body)
			}
			if m.Event == "" || m.From != "Tessera <postmaster@example.com>" ||
				m.Event != "password_reset" && !strings.Contains(m.Body, "https://mail.example.com/settings") {
				t.Fatalf("not a notice: %+v", m)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("notices by event over IMAP: %v, want %v", got, want)
		}
		for _, e := range notice.Events {
			if got[string(e)] == 0 {
				t.Fatalf("no notice of %s", e)
			}
		}

		// Over EAS: the phone's Inbox shows the same messages.
		in := &eastest.Syncer{T: t, P: phone, Coll: inbox, Key: "0"}
		in.Sync()
		adds := eastest.Adds(in.Sync())
		if strings.Join(adds, "|") != strings.Join(subjects, "|") {
			t.Fatalf("the phone's Inbox: %q\nover IMAP: %q", adds, subjects)
		}
		evs, err := s.App.Store.ListAudit(ctx, store.AuditFilter{Account: ann.Email, Action: notice.ActionNotice, Limit: 100})
		// One per Inbox message, and the copy relayed to the recovery address on its own.
		if err != nil || len(evs) != len(subjects)+1 {
			t.Fatalf("audited notices: %d (%v), want %d", len(evs), err, len(subjects)+1)
		}
		relayed := 0
		for _, e := range evs {
			if e.Reason == "recovery_changed to recovery address ann@elsewhere.org" {
				relayed++
			}
		}
		if relayed != 1 {
			t.Fatalf("the relayed copy audited %d times: %+v", relayed, evs)
		}
	})
}

// quietNotices turns the security notices off, for tests that count the messages of an Inbox.
func quietNotices(t *testing.T, a *app.App) {
	t.Helper()
	g, err := a.Store.GlobalSettings(t.Context())
	if err == nil {
		g.SecurityNoticesOff, _ = notice.ParseEnabled("none")
		err = a.Store.SaveGlobalSettings(t.Context(), g)
	}
	if err != nil {
		t.Fatal(err)
	}
}
