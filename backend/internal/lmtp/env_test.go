package lmtp_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// env is a running LMTP server over a real SQLite store, the real mailbox and the real
// account service (only its store is needed for Get).
type env struct {
	st       *store.Store
	mb       *mailbox.Service
	notifier *mailbox.LocalNotifier
	ids      map[string]uint64 // account email → id
	port     int
	addr     string
	log      *lockedBuffer
	srv      *lmtp.Server
	served   chan error
}

// failFor makes delivery to some accounts fail with a store error, to see 451 per recipient.
type failFor struct {
	lmtp.Deliverer
	ids map[uint64]bool
}

func (f failFor) Deliver(ctx context.Context, id uint64, raw []byte) (*store.Item, error) {
	if f.ids[id] {
		return nil, errors.New("database is locked")
	}
	return f.Deliverer.Deliver(ctx, id, raw)
}

func newEnv(t *testing.T, o lmtp.Options, wrap func(e *env, d lmtp.Deliverer) lmtp.Deliverer) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open("sqlite", filepath.Join(t.TempDir(), "tessera.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // registered first, so it runs after the server is closed
	if err := st.Migrate(); err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateDomain(ctx, "example.com")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{st: st, notifier: mailbox.NewLocalNotifier(), ids: map[string]uint64{}, log: &lockedBuffer{}}
	for email, status := range map[string]string{"a@example.com": store.StatusActive, "b@example.com": store.StatusActive,
		"locked@example.com": store.StatusLocked, "closed@example.com": store.StatusClosed} {
		a := &store.Account{Email: email, DomainID: d.ID, PasswordHash: "h", Role: store.RoleUser, Status: status}
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		e.ids[email] = a.ID
	}
	e.mb = mailbox.New(st, e.notifier)
	var deliverer lmtp.Deliverer = e.mb
	if wrap != nil {
		deliverer = wrap(e, deliverer)
	}
	log := slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.srv = lmtp.New(deliverer, account.New(account.Deps{Store: st}), o, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	e.port = ln.Addr().(*net.TCPAddr).Port
	e.served = make(chan error, 1)
	go func() { e.served <- e.srv.Serve(ln) }()
	t.Cleanup(func() { e.close(t) })
	return e
}

// close stops the server once and checks that Serve returned as documented.
func (e *env) close(t *testing.T) {
	if e.srv == nil {
		return
	}
	if err := e.srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case err := <-e.served:
		if !errors.Is(err, lmtp.ErrServerClosed) {
			t.Errorf("Serve returned %v after Close, want ErrServerClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Serve still running after Close")
	}
	e.srv = nil
}

func (e *env) portString() string { return strconv.Itoa(e.port) }

// inbox lists the live items of an account's Inbox.
func (e *env) inbox(t *testing.T, email string) []store.Item {
	t.Helper()
	ctx := context.Background()
	f, err := e.mb.FolderByType(ctx, e.ids[email], mailbox.TypeInbox)
	if err != nil {
		t.Fatal(err)
	}
	items, err := e.mb.Changes(ctx, f.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func (e *env) inboxID(t *testing.T, email string) uint64 {
	t.Helper()
	f, err := e.mb.FolderByType(context.Background(), e.ids[email], mailbox.TypeInbox)
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

// lockedBuffer is a log sink the server's goroutines and the test may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func message(subject, body string) string {
	return "From: Sender <x@example.org>\r\nTo: a@example.com, b@example.com\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.org>\r\n" +
		"Date: Tue, 17 Nov 2026 08:30:00 +0000\r\n\r\n" + body + "\r\n"
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
