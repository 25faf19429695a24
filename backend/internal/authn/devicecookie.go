package authn

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// DeviceCookies signs the device cookies of browsers that logged in (OWASP "device cookies"):
// "<account id>.<random nonce>.<HMAC of both>". A cookie holds no secret; it only tells that
// this browser completed a login of that account before, so that its password attempts are
// throttled on a counter of their own and an attacker's guesses elsewhere cannot lock it out.
type DeviceCookies struct{ key []byte }

// NewDeviceCookies derives the signing key from the server secret.
func NewDeviceCookies(secret []byte) *DeviceCookies {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("tessera/device-cookie/v1"))
	return &DeviceCookies{key: mac.Sum(nil)}
}

func (d *DeviceCookies) sign(payload string) string {
	mac := hmac.New(sha256.New, d.key)
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// issue returns a new cookie value for the account.
func (d *DeviceCookies) issue(accountID uint64) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	payload := strconv.FormatUint(accountID, 10) + "." + base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + d.sign(payload)
}

// nonce returns the nonce of the first value that is a genuine cookie of the account, and
// that value ("" when none is).
func (d *DeviceCookies) nonce(accountID uint64, values []string) (nonce, value string) {
	if d == nil {
		return "", ""
	}
	want := strconv.FormatUint(accountID, 10) + "."
	for _, v := range values {
		i := strings.LastIndexByte(v, '.')
		if i < 0 || !strings.HasPrefix(v, want) {
			continue
		}
		if hmac.Equal([]byte(v[i+1:]), []byte(d.sign(v[:i]))) {
			return v[len(want):i], v
		}
	}
	return "", ""
}
