package pinsheet

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

var sampleCodes = []string{
	"K7QMZ4TP", "H3WX9RBN", "T8FJ2VKC", "P4NZ6YQD", "R9CV3MXH",
	"W2LT7GZE", "B6YK4NPF", "X5DQ8JWS", "M3HR9TBA", "E7PG2ZVK",
}

func sample(paper Paper) Sheet {
	return Sheet{
		Email:   "alice@example.com",
		Label:   "Phone — Authenticator",
		Issuer:  "Tessera",
		Codes:   sampleCodes,
		Created: time.Date(2025, 3, 2, 14, 30, 0, 0, time.UTC),
		Paper:   paper,
	}
}

// needTool returns the path of a poppler tool, skipping the test when it is
// missing (failing instead when CI is set).
func needTool(t *testing.T, name string) string {
	t.Helper()
	return testenv.RequireTool(t, name, "poppler-utils")
}

func render(t *testing.T, s Sheet) string {
	t.Helper()
	b, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("output is not a PDF: %q", b[:min(len(b), 16)])
	}
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(needTool(t, tool), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", tool, args, err, out)
	}
	return string(out)
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	return run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
}

var spaces = regexp.MustCompile(`\s+`)

func TestTextContent(t *testing.T) {
	text := pdfText(t, render(t, sample(A4)))
	flat := spaces.ReplaceAllString(text, " ")
	nospace := spaces.ReplaceAllString(text, "")

	for _, want := range []string{
		"Tessera — PIN codes for two-factor login",
		"alice@example.com",
		"Phone — Authenticator",
		"2 March 2025",
		"Your 10 PIN codes",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for i, c := range sampleCodes {
		grouped := c[:4] + " " + c[4:]
		if !strings.Contains(text, grouped) {
			t.Errorf("code %d not printed grouped as %q", i+1, grouped)
		}
		if !strings.Contains(nospace, c) {
			t.Errorf("code %d (%s) missing", i+1, c)
		}
	}
	for _, want := range []string{
		"authenticator app", "6-digit code", "only once", "Tick",
		"safe and private", "like a key", "settings page", "OTP Authentication",
		"create a new OTP entry", "delete the old entry", "invalidates",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("instructions lack %q", want)
		}
	}
}

func TestNumbersAndOrder(t *testing.T) {
	text := pdfText(t, render(t, sample(A4)))
	// Left column holds 1-5, right column 6-10: code 1 and code 6 share a line.
	for i := 0; i < 5; i++ {
		line := lineWith(text, sampleCodes[i][:4])
		if !strings.Contains(line, sampleCodes[i+5][:4]) {
			t.Errorf("codes %d and %d not side by side: %q", i+1, i+6, line)
		}
		if !regexp.MustCompile(`\b` + strconv.Itoa(i+1) + `\s+` + sampleCodes[i][:4]).MatchString(line) {
			t.Errorf("code %d not numbered: %q", i+1, line)
		}
	}
}

// codesN is n distinct sample codes.
func codesN(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, sampleCodes[i%10][:6]+string(rune('A'+i/10))+string(rune('A'+i%10)))
	}
	return out
}

// The setting pinCodesPerEntry ranges from 4 to 20 (otp.PINCountMin/Max): every count in it
// keeps the whole grid on the first page, numbered down the left column, then the right.
func TestPinCodesPerEntryRange(t *testing.T) {
	for _, n := range []int{4, 5, 13, 20} {
		for _, p := range []Paper{A4, Letter} {
			s := sample(p)
			s.Codes = codesN(n)
			path := render(t, s)
			first := spaces.ReplaceAllString(run(t, "pdftotext", "-f", "1", "-l", "1", "-layout", "-enc", "UTF-8", path, "-"), " ")
			if !strings.Contains(first, fmt.Sprintf("Your %d PIN codes", n)) {
				t.Errorf("%d on %s: heading missing", n, p)
			}
			// Up to 20 codes and the instructions share one A4 page (the grid tightens).
			pages := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
			if p == A4 && (pages == nil || pages[1] != "1") {
				t.Errorf("%d codes on A4: %v pages, want 1", n, pages)
			}
			t.Logf("%d codes on %s: %s page(s)", n, p, pages[1])
			perCol := (n + 1) / 2
			for i, c := range s.Codes {
				if !strings.Contains(first, strconv.Itoa(i+1)+" "+c[:4]+" "+c[4:]) {
					t.Errorf("%d on %s: code %d (%s) not numbered on page 1", n, p, i+1, c)
				}
				if i < n-perCol {
					line := lineWith(pdfText(t, path), c[:4]+" "+c[4:])
					right := s.Codes[i+perCol]
					if !strings.Contains(line, right[:4]+" "+right[4:]) {
						t.Errorf("%d on %s: codes %d and %d not side by side: %q", n, p, i+1, i+perCol+1, line)
					}
				}
			}
		}
	}
}

func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestPageSize(t *testing.T) {
	for _, tc := range []struct {
		paper Paper
		want  string
	}{
		{A4, "Page size:      595.28 x 841.89 pts (A4)"},
		{"", "Page size:      595.28 x 841.89 pts (A4)"},
		{Letter, "Page size:      612 x 792 pts (letter)"},
	} {
		info := run(t, "pdfinfo", render(t, sample(tc.paper)))
		if !strings.Contains(spaces.ReplaceAllString(info, " "), spaces.ReplaceAllString(tc.want, " ")) {
			t.Errorf("paper %q: want %q in\n%s", tc.paper, tc.want, info)
		}
		if !regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) {
			t.Errorf("paper %q: 10 codes should fit one page:\n%s", tc.paper, info)
		}
	}
}

func TestMetadata(t *testing.T) {
	info := run(t, "pdfinfo", render(t, sample(A4)))
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^Title:\s+Tessera — PIN codes for two-factor login$`),
		regexp.MustCompile(`(?m)^Author:\s+Tessera$`),
		regexp.MustCompile(`(?m)^Creator:\s+Tessera$`),
		regexp.MustCompile(`(?m)^CreationDate:.*2025`),
	} {
		if !want.MatchString(info) {
			t.Errorf("pdfinfo lacks %v:\n%s", want, info)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Render(sample(A4))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(sample(A4))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same sheet differ")
	}
	if year := time.Now().Format("2006"); year != "2025" && bytes.Contains(a, []byte("D:"+year)) {
		t.Error("PDF carries the current year in a date; Created should be used")
	}
}

func TestScripts(t *testing.T) {
	s := sample(A4)
	s.Label = "Телефон — Аутентификатор"
	s.Email = "алиса@пример.рф"
	text := pdfText(t, render(t, s))
	for _, want := range []string{"Телефон — Аутентификатор", "алиса@пример.рф"} {
		if !strings.Contains(spaces.ReplaceAllString(text, " "), want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	s.Email = "bob@example.com"
	s.Label = "Ελληνικά"
	if text := pdfText(t, render(t, s)); !strings.Contains(text, "Ελληνικά") {
		t.Errorf("Greek label missing:\n%s", text)
	}
}

func TestUnsupportedCharacters(t *testing.T) {
	for _, label := range []string{
		"Phone 📱",
		"👍🏽 family 👨‍👩‍👧 ❤️",
		"电话 验证器",
		"مصادقة",
		"bad \xff\xfe utf8",
		"tab\tnew\nline\x00nul\u200bzwsp",
		strings.Repeat("W", 64),
		strings.Repeat("Ж", 64),
	} {
		s := sample(Letter)
		s.Label = label
		text := pdfText(t, render(t, s))
		if !strings.Contains(text, "alice@example.com") {
			t.Errorf("label %q: sheet lost its content:\n%s", label, text)
		}
	}

	s := sample(A4)
	s.Label = "Phone 📱"
	text := pdfText(t, render(t, s))
	if !strings.Contains(text, "Phone ?") {
		t.Errorf("emoji should be printed as '?':\n%s", text)
	}
}

func TestManyCodesAndLongValues(t *testing.T) {
	s := sample(A4)
	s.Codes = nil
	for i := 0; i < MaxCodes; i++ {
		s.Codes = append(s.Codes, sampleCodes[i%10][:7]+string(rune('A'+i%26)))
	}
	s.Email = strings.Repeat("very.long.local.part", 5) + "@" + strings.Repeat("sub.", 10) + "example.com"
	s.Issuer = "Tessera Credentials Service of the Example Organisation"
	for _, p := range []Paper{A4, Letter} {
		s.Paper = p
		path := render(t, s)
		info := run(t, "pdfinfo", path)
		if regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) {
			t.Errorf("%s: 50 codes on one page?\n%s", p, info)
		}
		text := pdfText(t, path)
		nospace := spaces.ReplaceAllString(text, "")
		for _, c := range s.Codes {
			if !strings.Contains(nospace, c) {
				t.Errorf("%s: code %s missing", p, c)
			}
		}
		if !strings.Contains(nospace, spaces.ReplaceAllString(s.Email, "")) {
			t.Errorf("%s: long email missing", p)
		}
		if !strings.Contains(text, "Page 2 of") {
			t.Errorf("%s: no page numbers on a multi-page sheet", p)
		}
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{
		"ABCDEFGH": "ABCD EFGH",
		"ABCD":     "ABCD",
		"ABCDEF":   "ABCD EF",
		"A":        "A",
	} {
		if got := group(in); got != want {
			t.Errorf("group(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	s := sample(A4)
	s.Codes = nil
	if _, err := Render(s); !errors.Is(err, ErrNoCodes) {
		t.Errorf("no codes: err = %v", err)
	}
	s.Codes = []string{}
	if _, err := Render(s); !errors.Is(err, ErrNoCodes) {
		t.Errorf("empty codes: err = %v", err)
	}
	s.Codes = make([]string, MaxCodes+1)
	for i := range s.Codes {
		s.Codes[i] = "ABCDEFGH"
	}
	if _, err := Render(s); !errors.Is(err, ErrTooManyCodes) {
		t.Errorf("51 codes: err = %v", err)
	}
	s = sample("a5")
	if _, err := Render(s); !errors.Is(err, ErrUnknownPaper) {
		t.Errorf("paper a5: err = %v", err)
	}
	s = sample(A4)
	s.Codes = []string{"ABCDEFGH", "  "}
	if _, err := Render(s); !errors.Is(err, ErrEmptyCode) {
		t.Errorf("blank code: err = %v", err)
	}
}

// TestWriteSample writes sample sheets for eyeballing:
//
//	PINSHEET_SAMPLE_DIR=/tmp go test -run WriteSample ./backend/internal/pinsheet
func TestWriteSample(t *testing.T) {
	dir := os.Getenv("PINSHEET_SAMPLE_DIR")
	if dir == "" {
		t.Skip("PINSHEET_SAMPLE_DIR not set")
	}
	intl := sample(A4)
	intl.Email = "алиса.иванова@пример.рф"
	intl.Label = "Телефон 📱 — Ελληνικά — 电话 — " + strings.Repeat("Ж", 30)
	many := sample(Letter)
	many.Codes = nil
	for i := 0; i < MaxCodes; i++ {
		many.Codes = append(many.Codes, sampleCodes[i%10][:7]+string(rune('A'+i%26)))
	}
	many.Email = strings.Repeat("very.long.local.part.", 4) + "name@" + strings.Repeat("sub.", 8) + "example.com"
	for name, s := range map[string]Sheet{
		"pinsheet-sample.pdf":        sample(A4),
		"pinsheet-sample-letter.pdf": sample(Letter),
		"pinsheet-intl.pdf":          intl,
		"pinsheet-many.pdf":          many,
		"pinsheet-4.pdf":             {Email: "alice@example.com", Label: "Phone", Issuer: "Tessera", Codes: codesN(4)},
		"pinsheet-20.pdf":            {Email: "alice@example.com", Label: "Phone", Issuer: "Tessera", Codes: codesN(20)},
		"pinsheet-13-letter.pdf":     {Email: "alice@example.com", Label: "Phone", Issuer: "Tessera", Codes: codesN(13), Paper: Letter},
	} {
		b, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
