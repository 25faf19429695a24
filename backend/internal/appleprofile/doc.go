// Package appleprofile makes Apple configuration profiles (.mobileconfig) that set up a device
// with a credential made a moment before, and keeps each for one download.
//
// What a profile holds: for an EAS password one Exchange ActiveSync payload
// (com.apple.eas.account) pointed at the public URL; for an application passcode an IMAP (or
// POP3) + SMTP payload (com.apple.mail.managed) with the mail doors that are on, and CalDAV and
// CardDAV payloads (com.apple.caldav.account, com.apple.carddav.account) at /dav/ when DAV is
// served. Every PayloadUUID is random; every PayloadIdentifier is stable for the account and
// the credential, so installing a second profile for the same credential replaces the first.
//
// Keeping the secret (the product's rule: a secret is shown once and never stored in clear):
//   - A profile is made only in the response that creates the credential, when the client asks
//     for it; later there is no secret to put in one.
//   - It waits at most Lifetime (10 minutes) for its download, and the first download deletes
//     it. Of two downloads at once only the one whose DELETE removed the row answers.
//   - The row's key is the SHA-256 of a 256-bit random download token; the profile is sealed
//     with AES-256-GCM under HMAC-SHA256(server key, token), the row id as associated data.
//     The token exists only in the creation response (URL and QR code): the database alone,
//     or the database and the server key, cannot open a waiting profile.
//   - Housekeeping deletes expired rows (Prune); deleting the credential deletes its rows.
//
// Two ways to download: the settings page downloads with its session, and a profile fetched
// with a session is handed only to the account it was made for; a phone scanning the QR code
// has no session, so the URL alone (the token) is what opens the profile there.
//
// Signing: with the operator's certificate (TESSERA_TLS_CERT/KEY) a profile is CMS SignedData
// (content attached, SHA-256, the chain included; github.com/smallstep/pkcs7), so a device shows
// the signer as verified. With the generated self-signed certificate it stays unsigned, as a
// signature no device can check proves nothing.
package appleprofile
