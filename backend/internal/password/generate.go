package password

import "crypto/rand"

// alphabet leaves out look-alikes (0 O o, 1 l I) because generated
// passwords are read off a screen and typed on phones. 63 characters and a
// length of 20 give about 119 bits of entropy.
const alphabet = "abcdefghijkmnpqrstuvwxyz" + "ABCDEFGHJKLMNPQRSTUVWXYZ" + "23456789" + "-_!#%+="

// generatedLength is the length of Generate's passwords.
const generatedLength = 20

// Generate returns a random password that DefaultPolicy accepts. Candidates
// that miss a class or look common are drawn again rather than patched, so
// every accepted password stays uniformly likely.
func Generate() string { return GenerateFor(DefaultPolicy()) }

// GenerateFor returns a random password that p accepts: 20 characters, or
// p's minimum length when that is longer, always with every character class
// (so it also passes a policy that requires one).
func GenerateFor(p Policy) string {
	n := max(generatedLength, p.MinLength)
	policy := Policy{MinLength: n, RequireLower: true, RequireUpper: true, RequireDigit: true, RequireSymbol: true}
	for {
		pw := randomString(n)
		if len(policy.Check(pw, "")) == 0 {
			return pw
		}
	}
}

func randomString(n int) string {
	// Bytes >= 252 are rejected so that b % 63 is unbiased.
	const limit = 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		rand.Read(buf) // never fails since Go 1.24; it crashes the program instead
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}
