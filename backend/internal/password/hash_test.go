package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("Tr4ck-Lamp-Ocean-92")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the OWASP parameters", h)
	}
	h2, _ := Hash("Tr4ck-Lamp-Ocean-92")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	if ok, err := Verify("Tr4ck-Lamp-Ocean-92", h); !ok || err != nil {
		t.Fatalf("Verify(right) = %v, %v", ok, err)
	}
	if ok, err := Verify("Tr4ck-Lamp-Ocean-93", h); ok || err != nil {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	if NeedsRehash(h) {
		t.Fatal("NeedsRehash(fresh hash) = true")
	}
}

func TestVerifyMalformed(t *testing.T) {
	const salt = "c29tZXNhbHRzb21lc2FsdA"                     // 16 bytes
	const key = "cmVhbGx5bm90YXJlYWxrZXlyZWFsbHlub3RhcmVhbGs" // 32 bytes
	bad := []string{
		"",
		"plaintext",
		"$2a$10$abcdefghijklmnopqrstuv",
		"$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=18$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key, // would panic in argon2
		"$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key, // would panic in argon2
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$",       // empty key would match anything
		"$argon2id$v=19$m=99999999,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$" + key,
	}
	for _, h := range bad {
		ok, err := Verify("anything", h)
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("Verify(%q) = %v, %v; want false, ErrMalformedHash", h, ok, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	const salt = "c29tZXNhbHRzb21lc2FsdA"
	const key = "cmVhbGx5bm90YXJlYWxrZXlyZWFsbHlub3RhcmVhbGs"
	tests := []struct {
		hash string
		want bool
	}{
		{"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key, false},
		{"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key, true},
		{"$argon2id$v=19$m=19456,t=3,p=1$" + salt + "$" + key, true},
		{"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" + key, true}, // 8-byte salt
		{"garbage", true},
	}
	for _, tc := range tests {
		if got := NeedsRehash(tc.hash); got != tc.want {
			t.Errorf("NeedsRehash(%q) = %v, want %v", tc.hash, got, tc.want)
		}
	}
}

// VerifyDummy must cost what a real Verify costs: it verifies against a well-formed hash made
// with the current parameters (a structural check; timing assertions would flake under load).
func TestVerifyDummyUsesCurrentParameters(t *testing.T) {
	VerifyDummy("guess")
	if dummyHash == "" || NeedsRehash(dummyHash) {
		t.Fatalf("dummy hash %q is not a current-parameter hash", dummyHash)
	}
	if err := checkEncoded(dummyHash); err != nil {
		t.Fatalf("dummy hash malformed: %v", err)
	}
	if ok, err := Verify("guess", dummyHash); ok || err != nil {
		t.Fatalf("Verify against dummy = %v, %v; want false, nil", ok, err)
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("Tr4ck-Lamp-Ocean-92"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUnicodeFormsMatch(t *testing.T) {
	h, err := Hash("Caf\u00e9-Noir-42!") // precomposed é
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := Verify("Cafe\u0301-Noir-42!", h); !ok { // e + combining acute
		t.Fatal("decomposed form of the same password refused")
	}
	if ok, _ := Verify("Cafe-Noir-42!", h); ok {
		t.Fatal("different password accepted")
	}
}
