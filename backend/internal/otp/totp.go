package otp

import (
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters of PRODUCT.md rule 5: RFC 6238, SHA-1, 6 digits, 30 s, one step of skew.
const (
	Period     = 30
	Digits     = otp.DigitsSix
	SecretSize = 20 // bytes: 160 bits
	Skew       = 1
)

// Key is a new TOTP secret with its otpauth:// URL.
type Key struct {
	Seed   []byte
	Secret string // base32, as authenticator apps take it
	URL    string
}

// NewKey makes a 160-bit secret for an account under an issuer.
func NewKey(issuer, account string) (*Key, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: Period,
		SecretSize: SecretSize, Digits: Digits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(k.Secret())
	if err != nil {
		return nil, err
	}
	return &Key{Seed: seed, Secret: k.Secret(), URL: k.URL()}, nil
}

// MatchStep returns the time step (t/30 s) within ±Skew whose code equals code, newest first.
// pquerna/otp's Validate says yes or no; the step is what replay protection needs: a step
// accepted once is never accepted again.
func MatchStep(seed []byte, code string, t time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != Digits.Length() {
		return 0, false
	}
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seed)
	now := t.Unix() / Period
	for _, step := range []int64{now + 1, now, now - 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*Period, 0), totp.ValidateOpts{
			Period: Period, Digits: Digits, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}
