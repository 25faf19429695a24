package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Every measurement runs briefly against a real server with a seeded database and records a
// figure with a non-zero rate and no failed request.
func TestMeasurementsAgainstAServer(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		// adminRequireTwoFactor off, as perf.sh sets it; logins without TLS on loopback.
		srv := apptest.Start(t, b, apptest.Options{Configure: func(c *config.Config) { c.MailPlaintextLoopback = true }})
		imapAddr, lmtpAddr := serveIMAP(t, srv), serveLMTP(t, srv)
		cfg := config.Default()
		cfg.DataDir, cfg.DBDriver, cfg.DBDSN = t.TempDir(), b.Driver, b.DSN
		cfg.SecretKey = srv.App.Config.SecretKey // EAS passwords are hashed with the server's key
		if err := seed(cfg, 12, 30, 4, 60); err != nil {
			t.Fatal(err)
		}
		rec := recordOptions{File: filepath.Join(t.TempDir(), "records.tsv"), Label: b.Driver}
		lo := loadOptions{URLs: []string{srv.URL}, Accounts: 4, Concurrency: 2, Duration: 700 * time.Millisecond, Record: rec}
		steps := []struct {
			name string
			run  func() error
		}{
			{"initial-sync", func() error { return runInitialSync(srv.URL, rec) }},
			{"sync", func() error { return runSync(lo, 25) }},
			{"eas-rps", func() error { return runEASRate(lo, "foldersync") }},
			{"eas-rps options", func() error { return runEASRate(lo, "options") }},
			{"api-rps", func() error { return runAPIRate(lo) }},
			{"logins", func() error { return runLogins(lo) }},
			{"fetch-flags", func() error { return runFetchFlags(imapAddr, 300*time.Millisecond, rec) }},
			{"append", func() error { return runAppend(imapAddr, 2, 300*time.Millisecond, rec) }},
			{"idle", func() error {
				return runIdle(idleOptions{Addrs: []string{imapAddr}, URLs: []string{srv.URL}, Accounts: 6, Deliveries: 3, Setup: 4, Quiet: 200 * time.Millisecond,
					ServerPIDs: []int{os.Getpid()}, Admin: "admin@example.com", AdminPass: apptest.AdminPassword, Record: rec})
			}},
			{"pings", func() error {
				return runPings(pingOptions{URLs: []string{srv.URL}, Accounts: 6, Heartbeat: 60, Deliveries: 3, // the MTA's way in
					ServerPIDs: []int{os.Getpid()}, LMTP: []string{lmtpAddr}, Record: rec})
			}},
		}
		for _, s := range steps {
			if err := s.run(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		raw, err := os.ReadFile(rec.File)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		want := []string{"initial sync", "EAS Sync", "(FolderSync", "OPTIONS", "GET /api/v1/credentials", "web logins",
			"UID FETCH 1:* (UID FLAGS) of a 30-message", "APPEND", "held IMAP IDLE", "RSS before the IDLE", "RSS with the IDLE",
			"memory per IDLE", "server CPU with the IDLE", "IDLE wake latency", "IDLE wake latency, delivery to * EXISTS (3 deliveries): of it, the delivery request",
			"held Pings", "server RSS", "memory per held Ping", "wake latency", "wake latency, delivery to Ping answer (3 deliveries), delivered over LMTP: of it, the delivery request"}
		if len(lines) != len(want) {
			t.Fatalf("%d records, want %d:\n%s", len(lines), len(want), raw)
		}
		rate := regexp.MustCompile(`^[1-9][0-9,]* (requests|logins|calls|messages)/s`)
		for i, line := range lines {
			f := strings.Split(line, "\t")
			if f[0] != b.Driver || !strings.Contains(f[1], want[i]) || strings.Contains(f[2], "failed") {
				t.Errorf("record %d: %q, want %q without failures", i, line, want[i])
			}
			if strings.HasSuffix(f[2], "/s") || strings.Contains(f[2], "/s (") {
				if !rate.MatchString(f[2]) && !strings.Contains(f[1], "initial sync") {
					t.Errorf("record %q: no positive rate", line)
				}
			}
		}
		if !strings.Contains(string(raw), "30 messages in") || regexp.MustCompile(`, 0 messages/s`).Match(raw) {
			t.Errorf("the Syncs carried no mail:\n%s", raw)
		}
	})
}

// serveLMTP opens the test server's LMTP door on a loopback port.
func serveLMTP(t *testing.T, srv *apptest.Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lm := lmtp.New(srv.App.Mailbox, srv.App.Accounts, lmtp.Options{Domain: "localhost"}, srv.App.Log)
	go lm.Serve(ln)
	t.Cleanup(func() { lm.Close() })
	return ln.Addr().String()
}

// serveIMAP opens the test server's IMAP door on a loopback port.
func serveIMAP(t *testing.T, srv *apptest.Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := srv.App.NewIMAPServer(nil)
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().String()
}
