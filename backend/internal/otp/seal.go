package otp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
)

// Sealer encrypts TOTP seeds at rest. The server must read a seed back to check codes, so it
// cannot be hashed; AES-256-GCM with the row id as associated data means a sealed seed copied
// onto another row does not open.
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the encryption key from the server secret.
func NewSealer(secret []byte) *Sealer {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("tessera/totp-seed/v1"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &Sealer{aead: aead}
}

// Seal encrypts seed for the row id.
func (s *Sealer) Seal(id uint64, seed []byte) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, seed, ad(id))
	return base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrSealed: the sealed seed is corrupt, of another row, or made with another key.
var ErrSealed = errors.New("sealed TOTP seed cannot be opened")

// Open decrypts a sealed seed of the row id.
func (s *Sealer) Open(id uint64, sealed string) ([]byte, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return nil, ErrSealed
	}
	n := s.aead.NonceSize()
	seed, err := s.aead.Open(nil, raw[:n], raw[n:], ad(id))
	if err != nil {
		return nil, ErrSealed
	}
	return seed, nil
}

func ad(id uint64) []byte { return []byte("credential:" + strconv.FormatUint(id, 10)) }
