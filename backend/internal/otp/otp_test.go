package otp

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

func TestSealOpen(t *testing.T) {
	s := NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	seed := []byte("twenty-byte-seed-abc")
	sealed, err := s.Seal(7, seed)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, string(seed)) {
		t.Fatal("seed visible in the sealed form")
	}
	got, err := s.Open(7, sealed)
	if err != nil || string(got) != string(seed) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(8, sealed); !errors.Is(err, ErrSealed) {
		t.Fatal("a sealed seed opened for another row id")
	}
	other := NewSealer([]byte("another-key-another-key-another-k"))
	if _, err := other.Open(7, sealed); !errors.Is(err, ErrSealed) {
		t.Fatal("opened with another key")
	}
	if _, err := s.Open(7, "garbage!"); !errors.Is(err, ErrSealed) {
		t.Fatal("garbage opened")
	}
}

func TestNewKeyAndURL(t *testing.T) {
	k, err := NewKey("Tessera", "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Seed) != 20 || len(k.Secret) != 32 {
		t.Fatalf("seed %d bytes, secret %q", len(k.Seed), k.Secret)
	}
	for _, want := range []string{"otpauth://totp/Tessera:alice@example.com?", "issuer=Tessera", "secret=" + k.Secret, "digits=6", "period=30", "algorithm=SHA1"} {
		if !strings.Contains(k.URL, want) {
			t.Errorf("URL %q lacks %q", k.URL, want)
		}
	}
}

// A code made by oathtool (an implementation nobody here wrote) matches, at the right step.
func TestMatchStepAgainstOathtool(t *testing.T) {
	oathtool := testenv.RequireTool(t, "oathtool", "oathtool")
	k, _ := NewKey("Tessera", "alice@example.com")
	at := time.Date(2026, 11, 22, 12, 0, 10, 0, time.UTC)
	out, err := exec.Command(oathtool, "--totp", "-b", "--now", at.Format("2006-01-02 15:04:05 UTC"), k.Secret).Output()
	if err != nil {
		t.Fatal(err)
	}
	code := strings.TrimSpace(string(out))
	step, ok := MatchStep(k.Seed, code, at)
	if !ok || step != at.Unix()/30 {
		t.Fatalf("oathtool code %s: step %d ok %v", code, step, ok)
	}
	// One step of skew either way, not two.
	if s, ok := MatchStep(k.Seed, code, at.Add(30*time.Second)); !ok || s != step {
		t.Fatal("code of the previous step refused")
	}
	if s, ok := MatchStep(k.Seed, code, at.Add(-30*time.Second)); !ok || s != step {
		t.Fatal("code of the next step refused")
	}
	if _, ok := MatchStep(k.Seed, code, at.Add(61*time.Second)); ok {
		t.Fatal("code two steps old accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := MatchStep(k.Seed, bad, at); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPINs(t *testing.T) {
	pins := GeneratePINs(1000)
	seen := map[string]bool{}
	for _, p := range pins {
		if len(p) != 8 || strings.ContainsAny(p, "01IO") || seen[p] || !LooksLikePIN(p) {
			t.Fatalf("bad PIN %q", p)
		}
		seen[p] = true
	}
	if NormalisePIN(" abcd-efgh ") != "ABCDEFGH" || !LooksLikePIN("abcd efgh") || LooksLikePIN("123456") || LooksLikePIN("ABCDEFG0") {
		t.Fatal("normalisation")
	}
}
