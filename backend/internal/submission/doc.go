// Package submission is SMTP submission (RFC 6409) for mail clients: STARTTLS on the plain port
// and implicit TLS (RFC 8314) on the other (the caller wraps that listener), AUTH PLAIN and
// LOGIN through package authn as the "smtp" door, and the message sent through
// mailbox.Sender, the send path of EAS SendMail. It is built on emersion/go-smtp, as package
// lmtp is.
//
// # Implementation notes
//
//   - TLS before AUTH (auth.go mayAuth): go-smtp allows AUTH either on TLS only or everywhere,
//     so the server allows it everywhere and each session decides: on TLS always, in plain
//     text only from a loopback client address and only with Options.PlaintextLoopback
//     (TESSERA_MAIL_PLAINTEXT_LOOPBACK). Elsewhere EHLO advertises no AUTH and AUTH gets
//     530 5.7.0 "Must issue a STARTTLS command first". go-smtp starts a new session after
//     STARTTLS, so nothing learned in plain text (a login) survives it.
//
//   - Logins (auth.go): the username as sent and the client's IP go to authn.Authenticate
//     with Service authn.SMTP, which applies the matrix (an application passcode; the account
//     password only while 2FA is off and the domain allows it; never an EAS password),
//     throttles and audits. Every refusal is the same 535 5.7.8; throttling and an unavailable
//     counter store are 454 4.7.0. PLAIN with an authorization identity other than the
//     username is refused: nobody sends on another's behalf. LOGIN's server side is here
//     (go-sasl dropped it), a three-step state machine.
//
//   - Revocation (session.go Mail): each MAIL FROM re-checks the grant with
//     authn.StillValid, which hashes nothing; a passcode disabled, expired or deleted since
//     AUTH, or a locked account, gets 535 5.7.8 and the session forgets the login (go-smtp
//     allows one AUTH per connection, so the client reconnects); a database error is 454.
//
//   - No spoofing (session.go Mail, headers.go): MAIL FROM must be the account's address
//     (case-insensitive; the null sender is refused: bounces are not submitted) → 553 5.7.1;
//     every address of every From header, and of Sender when present, must be it too → 550
//     5.7.1. The relay gets the account's address as the envelope sender. A missing Date or
//     Message-ID is added (RFC 6409 8.2, 8.3).
//
//   - Recipients (session.go Rcpt): the envelope is authoritative (Bcc recipients appear only
//     in RCPT TO), sent with mailbox.Sender.SendTo, which strips the Bcc header. Without a
//     relay (TESSERA_SMTP_RELAY) only accounts here can receive; RCPT checks that at once
//     (Sender.Deliverable) → 550 5.1.1, so the client learns which address failed before
//     sending the body; the send path checks again. At most Options.MaxRecipients RCPTs (go-smtp:
//     452 4.5.3 past it, advertised as LIMITS RCPTMAX).
//
//   - Size (server.go, session.go Data): SIZE advertises MaxSize+1 because go-smtp's reader
//     fails a message of exactly its limit; Data enforces MaxSize exactly (552 5.3.4), and
//     MaxSize is never above mailbox.MaxMessage. A MAIL FROM with a larger SIZE= is refused
//     before the body.
//
//   - Bounds (server.go): a command or message line over Options.MaxLineLength (2000) ends the
//     connection (500 5.4.0; inside DATA 554 5.6.0 first); ReadTimeout (10 minutes, per
//     command line and not renewed during DATA, so it covers a whole upload) and WriteTimeout
//     (1 minute) drop a stalled client.
//
//   - Sent copy: only with Options.SaveSent (TESSERA_SUBMISSION_SAVE_SENT); desktop clients
//     APPEND their own copy over IMAP, and two copies would be worse than none.
//
//   - Close (server.go) cancels the context of logins and sends in progress and waits for
//     them, so the store can be closed right after; their connections are dropped unanswered
//     and the client retries.
package submission
