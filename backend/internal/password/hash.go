package password

import (
	"golang.org/x/text/unicode/norm"

	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"github.com/alexedwards/argon2id"
)

// params are OWASP's argon2id recommendation (m=19 MiB, t=2, p=1). Changing
// them is safe: NeedsRehash tells the login path to upgrade old hashes.
var params = argon2id.Params{
	Memory:      19456,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// ErrMalformedHash is returned by Verify when the stored hash cannot be
// parsed or carries parameters outside sane bounds.
var ErrMalformedHash = errors.New("password: malformed hash")

// Passwords are NFC-normalised before hashing: the same password typed on two keyboards
// (é precomposed or e + combining accent) must match.

// Hash returns pw hashed with argon2id as a PHC string
// ($argon2id$v=19$m=19456,t=2,p=1$salt$key), salt from crypto/rand.
func Hash(pw string) (string, error) {
	h, err := argon2id.CreateHash(norm.NFC.String(pw), &params)
	if err != nil {
		return "", fmt.Errorf("password: hash: %w", err)
	}
	return h, nil
}

// Verify reports whether pw matches encoded, comparing in constant time. The
// parameters come from encoded, so hashes made with older parameters still
// verify. A non-nil error means only that encoded is malformed.
func Verify(pw, encoded string) (bool, error) {
	if err := checkEncoded(encoded); err != nil {
		return false, err
	}
	ok, err := argon2id.ComparePasswordAndHash(norm.NFC.String(pw), encoded)
	if err != nil {
		return false, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	return ok, nil
}

// checkEncoded bounds the parameters before any hashing. The library would
// panic on t=0 or p=0, match every password against an empty key, and
// allocate whatever m says, so a corrupt or tampered row must not reach it.
func checkEncoded(encoded string) error {
	p, salt, key, err := argon2id.DecodeHash(encoded)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	switch {
	case p.Iterations < 1 || p.Iterations > 64,
		p.Parallelism < 1,
		p.Memory < 8*uint32(p.Parallelism) || p.Memory > 1<<20, // at most 1 GiB
		len(salt) < 8 || len(salt) > 64,
		len(key) < 16 || len(key) > 128:
		return fmt.Errorf("%w: parameters out of range", ErrMalformedHash)
	}
	return nil
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// VerifyDummy spends the time of a Verify against a current-parameter hash
// and discards the result. The login path calls it for unknown accounts so
// that response times do not reveal which addresses exist (rule 7).
func VerifyDummy(pw string) {
	dummyOnce.Do(func() {
		// Random salt and key in the right shape cost nothing to build,
		// unlike a real Hash, so even the first call takes the usual time.
		salt := make([]byte, params.SaltLength)
		key := make([]byte, params.KeyLength)
		rand.Read(salt)
		rand.Read(key)
		dummyHash = fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s",
			params.Memory, params.Iterations, params.Parallelism,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	})
	_, _ = Verify(pw, dummyHash)
}

// NeedsRehash reports whether encoded was made with other parameters than
// Hash uses now, so the caller should store Hash(pw) after a successful
// login. Unparseable hashes also report true.
func NeedsRehash(encoded string) bool {
	p, _, _, err := argon2id.DecodeHash(encoded)
	if err != nil {
		return true
	}
	return *p != params
}
