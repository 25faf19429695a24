package httpapi_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/google/uuid"
)

// softAuthenticator is a platform authenticator in software, as a browser would drive it: it
// makes ECDSA P-256 keys with packed self-attestation and signs assertions with a sign counter,
// for the origin it is told (the page's). Nothing here comes from the server under test.
type softAuthenticator struct {
	origin string
	aaguid uuid.UUID
	keys   []*softKey
}

type softKey struct {
	id         []byte
	priv       *ecdsa.PrivateKey
	rpID       string
	userHandle []byte
	count      uint32
}

var b64 = base64.RawURLEncoding

func b64dec(t *testing.T, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

// options is the part of the server's creation or request options an authenticator reads.
type options struct {
	Challenge string `json:"challenge"`
	RPID      string `json:"rpId"`
	RP        struct {
		ID string `json:"id"`
	} `json:"rp"`
	User struct {
		ID string `json:"id"`
	} `json:"user"`
}

func clientData(t *testing.T, typ, challenge, origin string) []byte {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	return b
}

// create answers navigator.credentials.create with a new resident key.
func (a *softAuthenticator) create(t *testing.T, publicKey json.RawMessage) (map[string]any, *softKey) {
	t.Helper()
	var o options
	if err := json.Unmarshal(publicKey, &o); err != nil {
		t.Fatal(err)
	}
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k := &softKey{id: make([]byte, 32), priv: priv, rpID: o.RP.ID, userHandle: b64dec(t, o.User.ID)}
	rand.Read(k.id)
	a.keys = append(a.keys, k)
	x, y := make([]byte, 32), make([]byte, 32)
	priv.PublicKey.X.FillBytes(x)
	priv.PublicKey.Y.FillBytes(y)
	cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		t.Fatal(err)
	}
	rpHash := sha256.Sum256([]byte(k.rpID))
	auth := append(rpHash[:], 0x01|0x04|0x40) // UP, UV, attested credential data
	auth = binary.BigEndian.AppendUint32(auth, 0)
	auth = append(auth, a.aaguid[:]...)
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(k.id)))
	auth = append(append(auth, k.id...), cose...)
	cd := clientData(t, "webauthn.create", o.Challenge, a.origin)
	sig := k.sign(t, auth, cd)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "packed", "attStmt": map[string]any{"alg": -7, "sig": sig}, "authData": auth})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response":               map[string]any{"clientDataJSON": b64.EncodeToString(cd), "attestationObject": b64.EncodeToString(att), "transports": []string{"internal"}},
		"clientExtensionResults": map[string]any{}}, k
}

func (k *softKey) sign(t *testing.T, auth, cd []byte) []byte {
	t.Helper()
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// get answers navigator.credentials.get with key k: its counter goes up by one, unless count
// is given (a cloned authenticator's, say).
func (a *softAuthenticator) get(t *testing.T, publicKey json.RawMessage, k *softKey, count ...uint32) map[string]any {
	t.Helper()
	var o options
	if err := json.Unmarshal(publicKey, &o); err != nil {
		t.Fatal(err)
	}
	k.count++
	n := k.count
	if len(count) > 0 {
		n = count[0]
	}
	rpHash := sha256.Sum256([]byte(k.rpID))
	auth := binary.BigEndian.AppendUint32(append(rpHash[:], 0x01|0x04), n)
	cd := clientData(t, "webauthn.get", o.Challenge, a.origin)
	return map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(auth),
			"signature": b64.EncodeToString(k.sign(t, auth, cd)), "userHandle": b64.EncodeToString(k.userHandle)},
		"clientExtensionResults": map[string]any{}}
}
