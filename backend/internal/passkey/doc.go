// Package passkey holds WebAuthn passkeys (go-webauthn): enrolment, a passkey as the second
// factor of a login, and passwordless sign-in with a discoverable credential. The relying
// party id and origin come from the public URL; every ceremony's challenge is a database row
// taken by the request that finishes it (single use, 5 minutes, any instance); a key's sign
// counter and backup flags are stored and checked, and only its public key is kept.
package passkey
