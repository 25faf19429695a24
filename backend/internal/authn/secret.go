package authn

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Credential secrets are random (>= 80 bits), so there is no dictionary for a slow hash to
// defend against: a keyed HMAC-SHA-256 is as strong here, costs microseconds instead of the
// ~20 ms of argon2id on every EAS request, and a database dump without the server key
// reveals nothing usable. Account passwords are chosen by people, hence argon2id there.
type Hasher struct{ key []byte }

// NewHasher derives the hashing key from the server secret.
func NewHasher(secret []byte) *Hasher {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("tessera/credential-hash/v1"))
	return &Hasher{key: mac.Sum(nil)}
}

// Hash returns the hex HMAC of a normalised secret.
func (h *Hasher) Hash(normalised string) string {
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(normalised))
	return hex.EncodeToString(mac.Sum(nil))
}

// passwordAlphabet has no look-alikes (no 0/O, no 1/I) and one case: 32 symbols, 5 bits each.
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// PasswordLength of generated EAS passwords and passcodes: 16 × 5 bits = 80 bits.
const PasswordLength = 16

// GeneratePassword returns a random 16-character password (shown as 4 groups of 4).
func GeneratePassword() string {
	// 256 is a multiple of 32, so a byte modulo the alphabet size has no bias.
	b := make([]byte, PasswordLength)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	for i := range b {
		b[i] = passwordAlphabet[int(b[i])%len(passwordAlphabet)]
	}
	return string(b)
}

// GroupPassword formats a generated password as XXXX-XXXX-XXXX-XXXX.
func GroupPassword(p string) string {
	var parts []string
	for i := 0; i < len(p); i += 4 {
		parts = append(parts, p[i:min(i+4, len(p))])
	}
	return strings.Join(parts, "-")
}

// GenerateToken returns a 256-bit URL-safe token (mobile-app QR credentials).
func GenerateToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// normalise brings a typed secret to its stored form: generated passwords are accepted with or
// without separators and in either case; tokens are taken as they are.
func normalise(kind, secret string) string {
	if kind == store.KindMobileApp {
		return strings.TrimSpace(secret)
	}
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, secret))
}

// HashSecret is the stored form of a secret of a kind.
func (h *Hasher) HashSecret(kind, secret string) string { return h.Hash(normalise(kind, secret)) }
