package otp

import (
	"crypto/rand"
	"strings"
)

// PIN codes: 8 characters from an alphabet without look-alikes (no 0/O, no 1/I), one case:
// 40 bits each, typed from paper.
// PINCount is the default number of codes per OTP entry; the setting pinCodesPerEntry (global,
// or per COS) chooses one in [PINCountMin, PINCountMax].
const (
	PINCount    = 10
	PINCountMin = 4
	PINCountMax = 20
	PINLength   = 8
	pinAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
)

// GeneratePINs returns n distinct random PIN codes.
func GeneratePINs(n int) []string {
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		b := make([]byte, PINLength)
		if _, err := rand.Read(b); err != nil {
			panic(err)
		}
		for i := range b {
			b[i] = pinAlphabet[int(b[i])%len(pinAlphabet)] // 256 % 32 == 0: no bias
		}
		if p := string(b); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// NormalisePIN brings a typed PIN to its stored form: spaces and dashes ignored, either case.
func NormalisePIN(code string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

// LooksLikePIN tells a PIN from a 6-digit TOTP code.
func LooksLikePIN(code string) bool {
	n := NormalisePIN(code)
	if len(n) != PINLength {
		return false
	}
	for _, r := range n {
		if !strings.ContainsRune(pinAlphabet, r) {
			return false
		}
	}
	return true
}
