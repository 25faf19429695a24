package imap_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/imap"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// env is a Tessera (app.Open over a storetest database) with its IMAP door on a loopback
// port, an account user@example.com and an application passcode of it.
type env struct {
	t      testing.TB
	app    *app.App
	srv    *imap.Server
	addr   string
	acct   *store.Account
	pass   string
	credID uint64
	cfg    config.Config
}

const userEmail = "user@example.com"

type envOpts struct {
	noPlaintext bool
	maxIdle     int
	cfg         func(*config.Config)
}

func start(t testing.TB, b storetest.Backend, o ...envOpts) *env {
	t.Helper()
	var opt envOpts
	if len(o) > 0 {
		opt = o[0]
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DBDriver, cfg.DBDSN = b.Driver, b.DSN
	cfg.SecretKey = "test-secret-key-0123456789abcdef-0123456789"
	cfg.MailPlaintextLoopback = !opt.noPlaintext
	if opt.maxIdle > 0 {
		cfg.IMAPMaxIdle = opt.maxIdle
	}
	if opt.cfg != nil {
		opt.cfg(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(cfg, testLog())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// No security notices: the tests count the Inbox's messages (package notice has its own tests).
	if g, err := a.Store.GlobalSettings(ctx); err != nil {
		t.Fatal(err)
	} else if g.SecurityNoticesOff, _ = notice.ParseEnabled("none"); a.Store.SaveGlobalSettings(ctx, g) != nil {
		t.Fatal("turning the security notices off")
	}
	if _, err := a.Accounts.CreateDomain(ctx, "test", "example.com"); err != nil {
		t.Fatal(err)
	}
	acct, _, err := a.Accounts.Create(ctx, "test", account.CreateInput{Email: userEmail, Password: "Account-Pass-123!"})
	if err != nil {
		t.Fatal(err)
	}
	cred, secret, err := a.Credentials.Create(ctx, acct, "app_passcode", "Laptop", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := a.NewIMAPServer(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &env{t: t, app: a, srv: srv, addr: ln.Addr().String(), acct: acct, pass: secret.Password, credID: cred.ID, cfg: cfg}
}

// each runs fn on SQLite and, when configured, MariaDB.
func each(t *testing.T, fn func(t *testing.T, e *env), o ...envOpts) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) { fn(t, start(t, b, o...)) })
}

// fresh is the same Tessera with a second IMAP server, which keeps no folder's index yet.
func (e *env) fresh() *env {
	srv := e.app.NewIMAPServer(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go srv.Serve(ln)
	e.t.Cleanup(func() { srv.Close() })
	f := *e
	f.srv, f.addr = srv, ln.Addr().String()
	return &f
}

// deliver puts a message into the Inbox as LMTP does.
func (e *env) deliver(from, subject, body string) *store.Item {
	e.t.Helper()
	raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%d@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		from, userEmail, subject, time.Now().UnixNano(), body)
	it, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

func (e *env) folder(typ int) *store.Folder {
	e.t.Helper()
	f, err := e.app.Mailbox.FolderByType(context.Background(), e.acct.ID, typ)
	if err != nil {
		e.t.Fatal(err)
	}
	return f
}

func (e *env) inbox() *store.Folder { return e.folder(mailbox.TypeInbox) }

// client is a raw IMAP client: it sends lines and reads the replies up to the tagged one.
type client struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
	n    int
}

func (e *env) dial() *client {
	e.t.Helper()
	c, err := net.Dial("tcp", e.addr)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	cl := &client{t: e.t, conn: c, r: bufio.NewReader(c)}
	if g := cl.line(); !strings.HasPrefix(g, "* OK") {
		e.t.Fatalf("greeting %q", g)
	}
	return cl
}

// login dials and logs in with the passcode.
func (e *env) login() *client {
	c := e.dial()
	c.ok("LOGIN %s %s", userEmail, e.pass)
	return c
}

// line reads one response line; a literal {n} is read and joined into it.
func (c *client) line() string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var sb strings.Builder
	for {
		l, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("read: %v (so far %q)", err, sb.String()+l)
		}
		l = strings.TrimRight(l, "\r\n")
		sb.WriteString(l)
		i := strings.LastIndexByte(l, '{')
		if i < 0 || !strings.HasSuffix(l, "}") {
			return sb.String()
		}
		n, err := strconv.Atoi(l[i+1 : len(l)-1])
		if err != nil {
			return sb.String()
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			c.t.Fatal(err)
		}
		sb.Write(buf)
	}
}

// send writes a raw line.
func (c *client) send(line string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		c.t.Fatal(err)
	}
}

// cmd sends a tagged command and returns the untagged lines and the tagged status line
// (without the tag).
func (c *client) cmd(format string, args ...any) (untagged []string, status string) {
	c.t.Helper()
	c.n++
	tag := fmt.Sprintf("t%d", c.n)
	c.send(tag + " " + fmt.Sprintf(format, args...))
	return c.until(tag)
}

func (c *client) until(tag string) (untagged []string, status string) {
	c.t.Helper()
	for {
		l := c.line()
		if strings.HasPrefix(l, tag+" ") {
			return untagged, strings.TrimPrefix(l, tag+" ")
		}
		untagged = append(untagged, l)
	}
}

// ok is cmd that must answer OK.
func (c *client) ok(format string, args ...any) []string {
	c.t.Helper()
	u, st := c.cmd(format, args...)
	if !strings.HasPrefix(st, "OK") {
		c.t.Fatalf("%q: %s (untagged %q)", fmt.Sprintf(format, args...), st, u)
	}
	return u
}

// expect is cmd whose status must start with want ("NO", "BAD", "NO [TRYCREATE]").
func (c *client) expect(want, format string, args ...any) []string {
	c.t.Helper()
	u, st := c.cmd(format, args...)
	if !strings.HasPrefix(st, want) {
		c.t.Fatalf("%q: got %s, want %s", fmt.Sprintf(format, args...), st, want)
	}
	return u
}

// has reports whether some line contains every part.
func has(lines []string, parts ...string) bool {
	for _, l := range lines {
		all := true
		for _, p := range parts {
			if !strings.Contains(l, p) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func mustHave(t testing.TB, lines []string, parts ...string) {
	t.Helper()
	if !has(lines, parts...) {
		t.Fatalf("no line with %q in %q", parts, lines)
	}
}

// readAll reads until the server closes the connection, which it must do within 5s.
func (c *client) readAll() string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(c.r)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.t.Fatalf("the server kept the connection open (read %q)", b)
	}
	return string(b)
}

// testLog discards, unless IMAP_TEST_LOG is set.
func testLog() *slog.Logger {
	if os.Getenv("IMAP_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
