// Package tlsconf is the TLS configuration of the mail doors (IMAP, POP3, submission).
//
// The certificate comes from TESSERA_TLS_CERT/TESSERA_TLS_KEY or, when those are unset, from a
// self-signed certificate generated on the first start into the data directory and reused
// afterwards, so the fingerprint users were told to check stays the same across restarts.
//
// Implementation notes:
//   - The files are re-read while the server runs: GetCertificate looks at their modification
//     time and size at most every CheckEvery and loads them again when either changed, so a
//     renewed certificate (certbot, acme.sh) needs no restart. A pair that does not load keeps
//     the previous certificate in service and is logged once per change of the files.
//   - A certificate that cannot be loaded at start is an error: a server that starts without
//     the operator's certificate would silently serve nothing over TLS.
//   - TLS 1.2 is the minimum (RFC 8314 section 4.1 and RFC 8996).
package tlsconf
