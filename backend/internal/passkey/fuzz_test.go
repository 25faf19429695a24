package passkey

import (
	"testing"

	"github.com/go-webauthn/webauthn/protocol"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// FuzzParseResponses feeds what a browser (or anyone) may post as a passkey's answer to the
// parsers the finish steps use: a refusal is an error, never a panic. Stored fields read back
// from a row (credentialOf) take any text too.
func FuzzParseResponses(f *testing.F) {
	f.Add([]byte(`{"id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AA","userHandle":"AAAAAAAAAAE"}}`))
	f.Add([]byte(`{"id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oWNmbXRkbm9uZQ"}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := parseAssertion(data); err == nil && len(data) < 2 {
			t.Fatalf("%q parsed as an assertion", data)
		}
		_, _ = protocol.ParseCredentialCreationResponseBytes(data)
		s := string(data)
		_ = credentialOf(store.PasskeyKey{KeyID: s, PublicKey: s, AAGUID: s, Transports: s})
	})
}
