package password_test

import (
	"crypto/sha1" //nolint:gosec // the list's own hash
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/password"
)

const sample = "testdata/pwned-sample.txt" // 2,000 lines, CRLF, four known passwords among them

func sha1Hex(pw string) string { return fmt.Sprintf("%X", sha1.Sum([]byte(pw))) } //nolint:gosec

func TestBreachedSample(t *testing.T) {
	// The sample as the downloader writes it (CRLF), and the same lines with LF.
	raw, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	lf := filepath.Join(t.TempDir(), "lf.txt")
	if err := os.WriteFile(lf, []byte(strings.ReplaceAll(string(raw), "\r\n", "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{sample, lf} {
		b, err := password.OpenBreached(path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		for pw, want := range map[string]int64{"password": 9659365, "Summer-Breach-2024!": 3, "Tessera-Pwned-Sample-7#": 42, "P@ssw0rd": 123456,
			"Harbor-Lantern-Pass-84": 0, "": 0, "summer-breach-2024!": 0} {
			if n, err := b.Count(pw); err != nil || n != want {
				t.Errorf("%s: Count(%q) = %d, %v; want %d", filepath.Base(path), pw, n, err, want)
			}
		}
	}
}

// writeList writes hashes (sorted here) as a list with the line end given.
func writeList(t testing.TB, hashes []string, eol string) string {
	t.Helper()
	slices.Sort(hashes)
	var sb strings.Builder
	for i, h := range hashes {
		fmt.Fprintf(&sb, "%s:%d%s", h, i+1, eol)
	}
	path := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Every line of lists of many sizes is found, the first and the last included, with and
// without a final line end; hashes between, before and after the lines are not.
func TestBreachedFindsEveryLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 7))
	for _, n := range []int{1, 2, 3, 7, 64, 500} {
		for _, eol := range []string{"\n", "\r\n"} {
			pws := make([]string, n)
			hashes := make([]string, n)
			for i := range pws {
				pws[i] = fmt.Sprintf("pw-%d-%d", n, rng.Int())
				hashes[i] = sha1Hex(pws[i])
			}
			path := writeList(t, slices.Clone(hashes), eol)
			if n%2 == 1 { // no final line end
				raw, _ := os.ReadFile(path)
				os.WriteFile(path, []byte(strings.TrimRight(string(raw), "\r\n")), 0o600)
			}
			b, err := password.OpenBreached(path)
			if err != nil {
				t.Fatalf("n=%d %q: %v", n, eol, err)
			}
			sorted := slices.Sorted(slices.Values(hashes))
			for _, pw := range pws {
				want := int64(slices.Index(sorted, sha1Hex(pw)) + 1)
				if got, err := b.Count(pw); err != nil || got != want {
					t.Errorf("n=%d %q: Count(%q) = %d, %v; want %d", n, eol, pw, got, err, want)
				}
			}
			for i := 0; i < 50; i++ {
				if got, err := b.Count(fmt.Sprintf("absent-%d", i)); err != nil || got != 0 {
					t.Errorf("n=%d: an absent password counted %d, %v", n, got, err)
				}
			}
			b.Close()
		}
	}
}

func TestBreachedFileRefused(t *testing.T) {
	dir := t.TempDir()
	good := sha1Hex("a") + ":1\n" + sha1Hex("b") + ":2\n"
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	unsorted := writeList(t, []string{sha1Hex("x"), sha1Hex("y"), sha1Hex("z")}, "\n")
	raw, _ := os.ReadFile(unsorted)
	lines := strings.SplitAfter(string(raw), "\n")
	for name, path := range map[string]string{
		"missing":        filepath.Join(dir, "nope.txt"),
		"directory":      dir,
		"empty":          write("empty.txt", ""),
		"lower case":     write("lower.txt", strings.ToLower(good)),
		"no colon":       write("nocolon.txt", strings.ReplaceAll(good, ":", " ")),
		"no count":       write("nocount.txt", sha1Hex("a")+":\n"),
		"plain text":     write("text.txt", "password\n123456\nqwerty\n"),
		"unsorted":       write("unsorted.txt", lines[2]+lines[0]+lines[1]),
		"NTLM hashes":    write("ntlm.txt", "8846F7EAEE8FB117AD06BDD830B7586C:1\n"),
		"one long line":  write("long.txt", strings.Repeat("A", 5000)+"\n"),
		"a gzipped copy": write("gz.txt", "\x1f\x8b\x08\x00\x00\x00\x00\x00"),
	} {
		if b, err := password.OpenBreached(path); err == nil {
			b.Close()
			t.Errorf("%s accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// With the list, the policy refuses a password found there (one that passes every other rule)
// with its own rule and a message saying why; without it, only the common list applies.
func TestPolicyRefusesBreached(t *testing.T) {
	b, err := password.OpenBreached(sample)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p := password.DefaultPolicy()
	if v := p.Check("Summer-Breach-2024!", "ann@example.com"); len(v) != 0 {
		t.Fatalf("without the list: %v", v)
	}
	p.Breached = b
	v := p.Check("Summer-Breach-2024!", "ann@example.com")
	if len(v) != 1 || v[0].Rule != password.RuleBreached || !strings.Contains(v[0].Message, "breaches (3 times)") {
		t.Fatalf("with the list: %v", v)
	}
	if v := p.Check("Harbor-Lantern-Pass-84", "ann@example.com"); len(v) != 0 {
		t.Fatalf("a password not in the list: %v", v)
	}
	if v := p.Check("password", "ann@example.com"); !slices.ContainsFunc(v, func(x password.Violation) bool { return x.Rule == password.RuleCommon }) ||
		!slices.ContainsFunc(v, func(x password.Violation) bool { return x.Rule == password.RuleBreached }) {
		t.Fatalf("password: %v", v)
	}
}

func FuzzBreachedLine(f *testing.F) {
	for _, s := range []string{sha1Hex("a") + ":1", sha1Hex("b") + ":9223372036854775807", sha1Hex("c") + ":99999999999999999999",
		sha1Hex("d") + ":", ":1", "", strings.ToLower(sha1Hex("e")) + ":3", sha1Hex("f") + ":-1", sha1Hex("g") + ":1:2"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		h, n, err := password.ParseBreachedLine(line)
		if err != nil {
			return
		}
		if len(h) != 40 || n < 0 || strings.Trim(string(h), "0123456789ABCDEF") != "" {
			t.Fatalf("%q parsed as %q, %d", line, h, n)
		}
		// What parses is exactly "HASH:COUNT" with COUNT in decimal digits.
		if !strings.HasPrefix(string(line), string(h)+":") || strings.Trim(string(line[41:]), "0123456789") != "" {
			t.Fatalf("%q accepted", line)
		}
	})
}

// A lookup in a list of 200,000 lines (~9 MB, as the page cache holds it): the binary search
// is ~24 probes of one ReadAt each; the real list (~40 GB) needs ~35.
func BenchmarkBreachedCount(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	hashes := make([]string, 200000)
	for i := range hashes {
		hashes[i] = fmt.Sprintf("%016X%016X%08X", rng.Uint64(), rng.Uint64(), rng.Uint32())
	}
	list, err := password.OpenBreached(writeList(b, hashes, "\r\n"))
	if err != nil {
		b.Fatal(err)
	}
	defer list.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := list.Count(fmt.Sprintf("pw-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
}
