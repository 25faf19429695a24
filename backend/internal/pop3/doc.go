// Package pop3 is Tessera's POP3 door (RFC 1939) with STLS (RFC 2595), CAPA and response
// codes (RFC 2449, RFC 3206), UIDL, TOP, USER/PASS and SASL PLAIN (RFC 5034, RFC 4616). It
// serves the Inbox of an account from the mailbox service; it is thin over mailbox and authn
// and keeps no state of its own between sessions.
//
// Implementation notes (the invariants the code relies on):
//
//   - States: AUTHORIZATION until a login succeeds, then TRANSACTION; QUIT in TRANSACTION is
//     the UPDATE state, and only there are messages deleted. A session that ends any other way
//     (connection lost, idle timeout, server Close, revoked credential, too many bad commands)
//     deletes nothing, as RFC 1939 section 6 requires.
//   - Login goes through authn.Authenticator.Authenticate with authn.POP3, the client IP and the
//     username as sent: the authenticator applies the matrix (an application passcode opens
//     POP3; an EAS password does not; the account password only while the policy allows it),
//     throttles, audits and touches last-used. Every refusal reads the same
//     ("-ERR [AUTH] Authentication failed"); throttling and an unavailable service answer
//     "-ERR [SYS/TEMP] ...".
//   - Without TLS, USER, PASS and AUTH are refused (and CAPA lists neither USER nor SASL)
//     unless the client is on a loopback address and Options.PlaintextLoopback is set. STLS is
//     offered while the connection is plain and a TLS configuration is given; after it the
//     session starts again from AUTHORIZATION, and whatever the client sent before the
//     handshake ended is thrown away (a command injected in the clear never runs under TLS).
//   - The maildrop is a snapshot of the Inbox taken at login (mailbox.Service.Messages: ids and
//     sizes, no bodies): message numbers stay the same for the session. A body is read only by
//     RETR and TOP; a message removed meanwhile by another door answers "-ERR" and the session
//     goes on. Sessions are not exclusive (unlike RFC 1939's lock): each has its own snapshot,
//     and deleting a message another session deleted already counts as done.
//   - The unique id (UIDL) is the item id, which the store never gives to another item and
//     which stays the same across sessions while the message stays in the Inbox. A message
//     moved out and back gets a new id, so a client fetches it again (never skips new mail).
//   - Sizes (STAT, LIST) are the stored sizes. Lines are sent with CRLF and dot-stuffed, so a
//     message stored with bare LF endings is a few octets longer on the wire than listed;
//     mail that came in over SMTP/LMTP has CRLF already and matches exactly.
//   - Deletes are mailbox.Service.Delete: a tombstone, so phones see them at their next Sync.
//   - Before each command in TRANSACTION the grant is checked again with
//     authn.Authenticator.StillValid (no hashing): a passcode disabled or deleted, a locked
//     account, ends the session with "-ERR [AUTH]" at the next command.
//   - Bounds: a command line of at most MaxLine octets, at most Options.MaxBadCommands bad
//     commands (unknown, malformed, wrong state, failed logins) per connection, an idle
//     timeout (Options.IdleTimeout, 10 minutes by default as RFC 1939 asks at least), and
//     Server.Close answers every open session "-ERR [SYS/TEMP]" at its next read and closes it.
//     Client input never panics the server; a panic in a session would be a bug, and is
//     recovered and logged so that the other sessions go on.
package pop3
