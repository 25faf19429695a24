package main_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tessera-cli")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "tessera")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	out, err string
	code     int
}

type cli struct {
	t   *testing.T
	env []string
}

func newCLI(t *testing.T, b storetest.Backend) *cli {
	dir := t.TempDir()
	return &cli{t: t, env: []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"TESSERA_DATA_DIR=" + dir, "TESSERA_DB_DRIVER=" + b.Driver, "TESSERA_DB_DSN=" + b.DSN,
	}}
}

func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = c.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	r := c.run("", args...)
	if r.code != 0 {
		c.t.Fatalf("tessera %v: exit %d\n%s%s", args, r.code, r.out, r.err)
	}
	return r.out
}

func (c *cli) fails(code int, want string, args ...string) {
	c.t.Helper()
	r := c.run("", args...)
	if r.code != code || !strings.Contains(r.err, want) {
		c.t.Fatalf("tessera %v: exit %d (want %d), stderr %q (want %q)", args, r.code, code, r.err, want)
	}
}

var generatedPW = regexp.MustCompile(`(?m)^password: (\S+)$`)

func TestAccountCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		if out := c.ok("migrate"); !regexp.MustCompile(`^database is at migration \d{4}_[a-z_]+ \(\d+ applied\)\n$`).MatchString(out) {
			t.Fatalf("migrate: %q", out)
		}
		c.ok("domain", "create", "Example.ORG")
		c.fails(1, "already exists", "domain", "create", "example.org")
		c.fails(2, "not a domain name", "domain", "create", "not a domain")
		c.ok("cos", "create", "staff")
		c.fails(1, "already exists", "cos", "create", "staff")

		out := c.ok("account", "create", "Alice@Example.org", "--cos", "staff")
		m := generatedPW.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no generated password printed: %q", out)
		}
		c.fails(2, "password refused", "account", "create", "bob@example.org", "--password", "P@ssw0rd")
		c.fails(2, "tessera domain create", "account", "create", "carol@unknown.test")
		c.fails(2, "COS \"gold\" does not exist", "account", "create", "dave@example.org", "--cos", "gold")
		c.fails(2, "unknown role", "account", "create", "erin@example.org", "--role", "root")
		c.fails(1, "already exists", "account", "create", "alice@example.org")
		if r := c.run("", "account", "create", "bob@example.org", "--role", "domain_admin", "--password", "Harbor-Kite-Pass-71"); r.code != 0 || generatedPW.MatchString(r.out) {
			t.Fatalf("create with a password: %+v", r)
		}

		list := c.ok("account", "list", "--domain", "example.org")
		if !regexp.MustCompile(`alice@example\.org\s+user\s+active\s+staff`).MatchString(list) ||
			!regexp.MustCompile(`bob@example\.org\s+domain_admin\s+active\s+-`).MatchString(list) {
			t.Fatalf("account list:\n%s", list)
		}

		// set-password from standard input, then check the stored hash against both passwords.
		if r := c.run("Quiet-River-Pass-55\n", "account", "set-password", "alice@example.org", "--password-stdin"); r.code != 0 {
			t.Fatalf("set-password: %+v", r)
		}
		s := storetest.Open(t, b)
		a, err := s.AccountByEmail(context.Background(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := password.Verify("Quiet-River-Pass-55", a.PasswordHash); !ok {
			t.Fatal("new password does not verify")
		}
		if ok, _ := password.Verify(m[1], a.PasswordHash); ok {
			t.Fatal("generated password still verifies")
		}
		if a.TokenVersion != 1 || a.COS == nil || a.COS.Name != "staff" {
			t.Fatalf("account after set-password: tv=%d cos=%v", a.TokenVersion, a.COS)
		}
		c.fails(1, "not found", "account", "set-password", "zed@example.org")
		events, _ := s.ListAudit(context.Background(), store.AuditFilter{Account: "alice@example.org"})
		// The CLI's reset mails the user a notice before it exits (newest first).
		if len(events) != 3 || events[0].Action != notice.ActionNotice || events[0].Reason != "password_reset" ||
			events[1].Action != "password_set" || events[1].Actor != "cli" {
			t.Fatalf("audit = %+v", events)
		}
	})
}

func TestUsageAndConfigErrors(t *testing.T) {
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "x.db")})
	c.fails(2, "accepts 1 arg", "account", "create")
	c.fails(2, "unknown flag", "account", "list", "--nope")
	c.fails(2, `tessera: unknown command "doFreezeDevice" for "tessera mobile"`, "mobile", "doFreezeDevice", "a", "b")
	c.fails(2, `tessera: unknown command "nope" for "tessera"`, "nope")
	c.env = append(c.env, "TESSERA_DB_DRIVER=oracle", "TESSERA_LISTEN=nowhere")
	r := c.run("", "migrate")
	if r.code != 1 || !strings.Contains(r.err, "TESSERA_DB_DRIVER") || !strings.Contains(r.err, "TESSERA_LISTEN") {
		t.Fatalf("bad config: %+v", r)
	}
}

// serve prints the bootstrap admin login once, answers, and stops cleanly on SIGTERM.
func TestServe(t *testing.T) {
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: ""})
	c.env = append(c.env, "TESSERA_LISTEN=127.0.0.1:0", "TESSERA_BOOTSTRAP_DOMAIN=mail.test")
	start := func() (*exec.Cmd, string, string) {
		cmd := exec.Command(bin, "serve")
		cmd.Env = c.env
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var lines []string
		addr := ""
		deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
		defer deadline.Stop()
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if m := regexp.MustCompile(`listening on http://(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				addr = m[1]
				break
			}
		}
		go func() { // keep draining
			for sc.Scan() {
			}
		}()
		return cmd, addr, strings.Join(lines, "\n")
	}
	cmd, addr, out := start()
	if !strings.Contains(out, "created the global admin admin@mail.test") || !generatedPW.MatchString(strings.ReplaceAll(out, "  password", "password")) {
		t.Fatalf("first start output:\n%s", out)
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	probe := &cli{t: t, env: append(append([]string{}, c.env...), "TESSERA_LISTEN="+addr)}
	if r := probe.run("", "healthcheck"); r.code != 0 || strings.TrimSpace(r.out) != "ready" {
		t.Fatalf("healthcheck against a running server: %+v", r)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	if r := probe.run("", "healthcheck"); r.code != 1 || !strings.Contains(r.err, "not ready") {
		t.Fatalf("healthcheck with the server down: %+v", r)
	}
	cmd, _, out = start()
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	if generatedPW.MatchString(strings.ReplaceAll(out, "  password", "password")) || !strings.Contains(out, "Admin login: admin@mail.test") {
		t.Fatalf("second start printed a password again:\n%s", out)
	}
}

func TestPolicyCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("domain", "create", "example.org")
		c.ok("cos", "create", "staff")
		c.ok("account", "create", "alice@example.org", "--cos", "staff")
		show := func() string { return strings.SplitN(c.ok("policy", "show", "alice@example.org"), "\n", 2)[0] }
		if got := show(); got != "alice@example.org: 2FA off (decided by the user's own choice)" {
			t.Fatalf("default: %q", got)
		}
		// The effective password policy and the mail-password rule follow the 2FA line.
		c.ok("domain", "set", "example.org", "--password-min-length", "14", "--account-password-for-mail=false")
		c.ok("cos", "set", "staff", "--password-require-symbol", "false")
		full := c.ok("policy", "show", "alice@example.org")
		for _, want := range []string{
			"password policy: at least 14 characters, a lower-case letter, an upper-case letter, a digit (",
			"account password on EAS, IMAP, POP3, SMTP, CalDAV, CardDAV: refused: ",
		} {
			if !strings.Contains(full, want) {
				t.Fatalf("policy show lacks %q:\n%s", want, full)
			}
		}
		c.ok("policy", "set-2fa", "global", "required")
		if got := show(); got != "alice@example.org: 2FA on (decided by the global policy)" {
			t.Fatalf("global required: %q", got)
		}
		c.ok("policy", "set-2fa", "domain", "Example.ORG", "forbidden")
		if got := show(); got != "alice@example.org: 2FA off (decided by the domain policy)" {
			t.Fatalf("domain forbidden: %q", got)
		}
		c.ok("policy", "set-2fa", "cos", "staff", "required")
		if got := show(); got != "alice@example.org: 2FA on (decided by the cos policy)" {
			t.Fatalf("cos required: %q", got)
		}
		c.ok("policy", "set-2fa", "cos", "staff", "unset")
		c.ok("policy", "set-2fa", "cos", "staff", "unset") // setting the same value again is fine
		if got := show(); !strings.Contains(got, "domain policy") {
			t.Fatalf("cos unset: %q", got)
		}
		c.fails(1, "no such domain or COS", "policy", "set-2fa", "domain", "nowhere.test", "required")
		c.fails(2, "want required, forbidden or unset", "policy", "set-2fa", "global", "maybe")
		c.fails(2, "want global VALUE", "policy", "set-2fa", "domain", "required")
		c.fails(1, "not found", "policy", "show", "nobody@example.org")
	})
}

func TestMailboxDeliver(t *testing.T) {
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "x.db")})
	c.ok("domain", "create", "example.org")
	c.ok("account", "create", "alice@example.org")
	raw, err := os.ReadFile("../../internal/mailbox/testdata/multipart.eml")
	if err != nil {
		t.Fatal(err)
	}
	r := c.run(string(raw), "mailbox", "deliver", "alice@example.org")
	if r.code != 0 || !strings.Contains(r.out, `"Café meeting"`) {
		t.Fatalf("deliver: %+v", r)
	}
	if r := c.run("", "mailbox", "deliver", "alice@example.org"); r.code != 1 || !strings.Contains(r.err, "no message") {
		t.Fatalf("empty stdin: %+v", r)
	}
	if r := c.run(string(raw), "mailbox", "deliver", "zed@example.org"); r.code != 1 || !strings.Contains(r.err, "not found") {
		t.Fatalf("unknown account: %+v", r)
	}
}

// The seed's device commands, with their exact syntax.
func TestMobileCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("domain", "create", "example.com")
		c.ok("account", "create", "john@example.com")
		if out := c.ok("mobile", "getDevices", "john@example.com"); !strings.Contains(out, "has no devices") {
			t.Fatalf("no devices: %q", out)
		}
		s := storetest.Open(t, b)
		ctx := context.Background()
		john, _ := s.AccountByEmail(ctx, "john@example.com")
		now := time.Now()
		var ids []uint64
		for _, id := range []string{"Appl79032X2WA4S", "androidc123"} {
			d, err := s.CreateDevice(ctx, &store.Device{AccountID: john.ID, DeviceID: id, DeviceType: "iPhone", ProtocolVersion: "16.1", FirstSyncAt: now, LastSyncAt: now})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
			for _, coll := range []string{"hierarchy", "1", "2"} {
				if err := s.SaveSyncState(ctx, &store.SyncState{DeviceID: d.ID, CollectionID: coll, SyncKey: "1-x"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		count := func(dev uint64) int64 {
			var n int64
			s.Gorm().Model(&store.SyncState{}).Where("device_id = ?", dev).Count(&n)
			return n
		}
		out := c.ok("mobile", "getDevices", "john@example.com")
		if !strings.Contains(out, "Appl79032X2WA4S") || !strings.Contains(out, "androidc123") || !strings.Contains(out, "16.1") {
			t.Fatalf("getDevices:\n%s", out)
		}
		if out := c.ok("mobile", "doResetDevice", "john@example.com", "Appl79032X2WA4S"); !strings.Contains(out, "3 SyncStates dropped") {
			t.Fatalf("doResetDevice: %q", out)
		}
		if count(ids[0]) != 0 || count(ids[1]) != 3 {
			t.Fatalf("after doResetDevice: %d and %d states", count(ids[0]), count(ids[1]))
		}
		if out := c.ok("mobile", "doResetAccount", "john@example.com"); !strings.Contains(out, "reset 2 device(s)") {
			t.Fatalf("doResetAccount: %q", out)
		}
		if count(ids[1]) != 0 {
			t.Fatal("doResetAccount left states")
		}
		s.SaveSyncState(ctx, &store.SyncState{DeviceID: ids[0], CollectionID: "1", SyncKey: "2-y"})
		c.ok("mobile", "doRemoveDevice", "john@example.com", "Appl79032X2WA4S")
		if _, err := s.DeviceOf(ctx, john.ID, "Appl79032X2WA4S"); err == nil || count(ids[0]) != 0 {
			t.Fatal("doRemoveDevice left the device or its states")
		}
		c.fails(1, "Appl79032X2WA4S of john@example.com: no such device", "mobile", "doRemoveDevice", "john@example.com", "Appl79032X2WA4S")
		c.fails(1, "nope of john@example.com: no such device", "mobile", "doResetDevice", "john@example.com", "nope")
		c.fails(1, "account nobody@example.com: not found", "mobile", "getDevices", "nobody@example.com")
		c.fails(1, "account nobody@example.com: not found", "mobile", "doRemoveDevice", "nobody@example.com", "x")
		// The commands are audited as the API's device actions are: the account, the device.
		events, err := s.ListAudit(ctx, store.AuditFilter{Account: "john@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range events {
			seen[e.Actor+" "+e.Action+" "+e.Reason] = true
		}
		for _, want := range []string{"cli device_reset Appl79032X2WA4S", "cli device_reset ", "cli device_removed Appl79032X2WA4S"} {
			if !seen[want] {
				t.Errorf("no audit event %q in %+v", want, events)
			}
		}
		c.fails(2, "accepts 2 arg", "mobile", "doRemoveDevice", "john@example.com")
	})
}

func TestConfigCommands(t *testing.T) {
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "x.db")})
	if out := c.ok("config", "get", "passwordMinLength"); strings.TrimSpace(out) != "passwordMinLength  8" {
		t.Fatalf("get: %q", out)
	}
	c.ok("config", "set", "passwordMinLength", "14")
	c.ok("config", "set", "twoFactor", "forbidden")
	out := c.ok("config", "get", "--json")
	if !strings.Contains(out, `"passwordMinLength":14`) || !strings.Contains(out, `"twoFactor":"forbidden"`) {
		t.Fatalf("get --json: %q", out)
	}
	c.fails(2, "want a number from 1 to 128", "config", "set", "passwordMinLength", "0")
	c.fails(2, `unknown setting "colour"`, "config", "set", "colour", "blue")
	c.fails(2, "unknown setting", "config", "get", "colour")
	// Security notices: all events by default, a list as `set` takes it, an unknown event refused.
	if out := c.ok("config", "get", "securityNotices"); strings.TrimSpace(out) != "securityNotices  "+strings.Join(notice.Enabled(""), ",") {
		t.Fatalf("get securityNotices: %q", out)
	}
	c.ok("config", "set", "securityNotices", "password_changed, new_browser")
	if out := c.ok("config", "get", "securityNotices"); strings.TrimSpace(out) != "securityNotices  password_changed,new_browser" {
		t.Fatalf("get securityNotices after set: %q", out)
	}
	c.fails(2, `unknown event "colour"`, "config", "set", "securityNotices", "colour")
	if out := c.ok("config", "keys"); !strings.Contains(out, "revokePasscodesOnPasswordChange") {
		t.Fatalf("keys: %q", out)
	}
}

// serve starts `tessera serve` with env, waits for its address and returns its base URL; the
// process gets SIGTERM at the end of the test unless the test ends it itself.
func serve(t *testing.T, env []string) (string, *exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	})
	listening := regexp.MustCompile(`listening on http://(\S+)`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1], cmd, out
		}
	}
	t.Fatalf("tessera serve did not start:\n%s", out.String())
	return "", nil, nil
}
