package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// easload search, small: it fills the Inbox, measures both ways (failing if the answers with and
// without the index differ) and records storage and latency figures.
func TestSearchMeasurement(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		cfg := config.Default()
		cfg.DataDir, cfg.DBDriver, cfg.DBDSN = t.TempDir(), b.Driver, b.DSN
		cfg.SecretKey = "test-secret-key-0123456789abcdef-0123456789"
		cfg.BootstrapAdminPassword = "Harbor-Lantern-Pass-84"
		rec := recordOptions{File: filepath.Join(t.TempDir(), "records.tsv"), Label: b.Driver}
		if err := runSearch(cfg, searchOptions{Messages: 300, BeforeReps: 1, AfterReps: 1, IMAPQueries: 2, Record: rec}); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(rec.File)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		want := []string{"storage: message content", "storage: tables on disk", "EAS Search (store call) over 300 messages, typical",
			"IMAP SEARCH TEXT/BODY/SUBJECT over 300 messages, typical", "EAS Search (store call) over 300 messages, a word in most",
			"IMAP SEARCH TEXT/BODY/SUBJECT over 300 messages, a word in most"}
		if len(lines) != len(want) {
			t.Fatalf("%d records, want %d:\n%s", len(lines), len(want), raw)
		}
		for i, line := range lines {
			f := strings.Split(line, "\t")
			if !strings.Contains(f[1], want[i]) || i >= 2 && !strings.Contains(f[2], "p50 ") || i < 2 && !strings.Contains(f[2], "×") {
				t.Errorf("record %d: %q, want %q", i, line, want[i])
			}
		}
	})
}
