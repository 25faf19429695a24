package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReportTable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "records.tsv")
	one := recordOptions{File: file, Label: "SQLite, 1 instance"}
	two := recordOptions{File: file, Label: "MariaDB, 2 instances"}
	for _, r := range []struct {
		rec        recordOptions
		what, figs string
	}{
		{one, "logins", "40 logins/s"},
		{one, "wake latency", "p99 | 12 ms"}, // a pipe would break the table
		{two, "wake latency", "p99 20 ms"},
	} {
		if err := r.rec.add(r.what, r.figs); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	if err := writeReport(f, &out); err != nil {
		t.Fatal(err)
	}
	want := "| measurement | SQLite, 1 instance | MariaDB, 2 instances |\n|---|---|---|\n" +
		"| logins | 40 logins/s | — |\n| wake latency | p99 / 12 ms | p99 20 ms |\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestFigures(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
	lat := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if q := quantile(lat, 0.5); q != 5 {
		t.Errorf("p50 = %v", q)
	}
	if q := quantile(lat, 0.99); q != 9 {
		t.Errorf("p99 = %v", q)
	}
	if s := ms(3250 * time.Microsecond); s != "3.2 ms" && s != "3.3 ms" {
		t.Errorf("ms = %q", s)
	}
}

// The IMAP helpers read what they must: "* N EXISTS" only, and this process's CPU time grows
// with work.
func TestIdleHelpers(t *testing.T) {
	for l, want := range map[string]bool{"* 3 EXISTS": true, "* 12 EXISTS": true, "* 3 RECENT": false,
		"* 3 FETCH (FLAGS (\\Seen))": false, "+ idling": false, "* OK [UIDNEXT 4]": false} {
		if isExists(l) != want {
			t.Errorf("isExists(%q) = %v", l, !want)
		}
	}
	// Spin until the CPU time moves (a shared machine may give this test little of a core).
	before := cpuSeconds(os.Getpid())
	if before <= 0 {
		t.Fatalf("cpuSeconds of this process: %v", before)
	}
	for end := time.Now().Add(10 * time.Second); cpuSeconds(os.Getpid())-before < 0.05; {
		if time.Now().After(end) {
			t.Fatal("10 s of spinning never showed 50 ms of CPU time")
		}
		for x := 0; x < 1e6; x++ {
			_ = x * x
		}
	}
	if cpuSeconds(-1) != 0 {
		t.Error("an unreadable process should read as 0")
	}
}
