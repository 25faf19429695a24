// Package imap is Tessera's IMAP4rev1 door (RFC 3501), thin over the mailbox service, authn
// and the change notifier, on emersion's go-imap v2 imapserver. Extensions: IDLE, MOVE,
// UIDPLUS, NAMESPACE, ENABLE, UNSELECT, LITERAL+, SPECIAL-USE, CHILDREN, SASL-IR, ID and
// CONDSTORE (RFC 7162; not QRESYNC).
//
// The front (front*.go). go-imap's server (v2.0.0-beta.9) parses no CONDSTORE syntax, never
// writes MODSEQ or HIGHESTMODSEQ and has no hook for commands of one's own, and it may not be
// forked. So each connection gets a front: go-imap's Conn reads and writes the front as its
// net.Conn, and the front owns the socket. Its invariants:
//
//   - Framing: the front reads a line at a time; a line ending in {n}, {n+} or ~{n} announces a
//     literal of n bytes, which is data, never looked into. Every command but APPEND, IDLE and
//     AUTHENTICATE is read whole (at most 64 KiB, literals at most 4096 bytes, as go-imap bounds
//     them), the front saying "+" to a synchronising literal itself and handing go-imap the
//     literal as {n+}; a synchronising literal too large is answered NO [TOOBIG] before the client
//     sends it, a non-synchronising one ends the connection. APPEND passes as it comes: its
//     synchronising literal follows only once go-imap has written "+" (if go-imap answers with a
//     tagged status instead, the next line is a command again). After AUTHENTICATE (and an IDLE
//     the front does not hold) lines pass as they are (SASL responses, DONE) until go-imap writes
//     the command's tagged status.
//   - IDLE (idlepark.go): the front holds a logged-in session's "tag IDLE" itself, so that a
//     held IDLE costs neither go-imap's goroutine, with the stack LOGIN and SELECT grew, nor its
//     4 KB buffers: go-imap's Conn ends (its Read says EOF; session.Close and front.Close leave
//     the session and the socket alone), one goroutine waits in a one-byte read for DONE, and
//     the notifier's observer and timers start short-lived workers that write what go-imap's
//     UpdateWriter would. After DONE (and the last Poll) the front writes go-imap's tagged
//     status and hands the connection to a new go-imap Conn with the same session, greeted
//     PREAUTH and taken back to the selected state by a SELECT/EXAMINE the front replays and
//     session.Select answers from its view; neither answer reaches the client. Past MaxIdle,
//     or for a line go-imap would not take as a plain IDLE, go-imap runs IDLE as before.
//   - Order: the front hands go-imap one command at a time and reads the next from the socket
//     only once go-imap asks for more, i.e. after it has written the earlier command's tagged
//     status (go-imap runs commands one by one and flushes each response). So pipelined commands
//     are answered in order, the front's own answers (ID, refusals) fall between go-imap's
//     responses, and "the command go-imap runs" (front.cur) is well defined for the session.
//   - Rewrites, client side: only the CONDSTORE parts go-imap would refuse are taken out, into
//     front.cur for the session: SELECT/EXAMINE (CONDSTORE); FETCH's MODSEQ item and
//     (CHANGEDSINCE n); STORE's (UNCHANGEDSINCE n); STATUS's HIGHESTMODSEQ; ENABLE's CONDSTORE;
//     SEARCH's MODSEQ [entry type] n becomes HEADER ":modseq" "n" (no header is so named), so
//     that it nests under OR and NOT as any key. The rest passes byte for byte. ID is answered
//     by the front in any state.
//   - Rewrites, server side: only whole response lines outside literals are rewritten, never
//     literal data (BODY[], BINARY[]): MODSEQ goes first in a "* n FETCH (" the session noted
//     a mod-sequence for; HIGHESTMODSEQ is added to STATUS and, as an untagged OK before the
//     tagged one, to every successful SELECT/EXAMINE; [MODIFIED set] to a STORE's tagged OK;
//     CONDSTORE to ENABLED; capability lists get CONDSTORE and ID, and STARTTLS, AUTH= or
//     LOGINDISABLED by the connection's state.
//   - TLS: go-imap has no TLS configuration and lets every login through (InsecureAuth); the
//     front does STARTTLS (dropping plaintext the client pipelined after it) and refuses LOGIN
//     and AUTHENTICATE before TLS unless the client is on loopback and
//     Options.PlaintextLoopback allows it. Implicit TLS (IMAPS) is a *tls.Conn under the front.
//   - CONDSTORE is on for a connection from its first CONDSTORE-enabling command (RFC 7162
//     3.1); from then on FETCH responses from STORE, an implicit \Seen and changes made
//     elsewhere carry UID and MODSEQ, .SILENT or not. A message's MODSEQ is its item's ModSeq
//     (the folder's change number, taken by every add, flag change, move and delete) plus one,
//     and HIGHESTMODSEQ the folder's LastSeq plus one: positive even for a folder no item ever
//     entered, and below every change to come. STORE UNCHANGEDSINCE puts its condition into
//     the UPDATE (store.UpdateItemIfBelow), so no change slips in between a read and a write.
//   - Bad input: the front's parser is fuzzed (FuzzFront); what it does not understand it
//     passes to go-imap, which answers BAD.
//
// Implementation notes (invariants):
//
//   - The store is the truth and is shared with EAS, LMTP, other IMAP sessions and other
//     instances. Each session keeps its own view of the selected folder (UIDs in sequence
//     order and their flags) and brings it up to date from the folder's change sequence
//     (items with a ModSeq above what it has seen, tombstones included) after every command
//     and, in IDLE, on every change the notifier brings. go-imap's MailboxTracker is not
//     used: it hears only of changes made through it.
//   - The index of a large folder (from 2,000 messages, 500,000 in all, least recently used
//     dropped) is kept by the server between SELECTs (foldercache.go) and brought up to date
//     from the same change sequence before each use, so a SELECT reads what changed since, not
//     the folder. It holds live messages only and is lent as a copy: a session's view is its own.
//   - A message deleted elsewhere keeps its sequence number (marked gone) until an EXPUNGE
//     may be sent (not during FETCH, STORE or SEARCH); EXPUNGEs are sent from the highest
//     sequence number down.
//   - UIDs come from the store: an item takes its folder's UIDNEXT in the transaction that
//     adds, moves or copies it there, so UIDs only grow and UIDVALIDITY (the folder's id)
//     never has to change. MODSEQ is the item's ModSeq plus one (see the front, above).
//   - Flags: \Seen is the item's Read (EAS Read), \Flagged its Flagged (EAS Flag); \Answered,
//     \Draft, \Deleted and keywords are kept in IMAPFlags. Every change goes through the
//     mailbox service, which gives the item a new ModSeq and publishes a Change, so a phone's
//     held Ping wakes. EXPUNGE deletes through mailbox.Delete (a tombstone the phone syncs),
//     MOVE through mailbox.Move, APPEND through mailbox.Append (parsed like a delivery).
//   - Only mail folders are mailboxes; INBOX is the Inbox folder, others are named by the
//     path of display names joined by "/". Default folders cannot be renamed or deleted (as
//     in EAS); DELETE of a folder with subfolders is refused (EAS would delete the subtree).
//     Subscriptions are stored per account (by exact name); a mailbox never subscribed or
//     unsubscribed counts as subscribed, so folders made elsewhere show in LSUB.
//   - Login goes through authn with Service IMAP, the client's IP and the username as sent;
//     every refusal reads the same (NO [AUTHENTICATIONFAILED]); throttling or an away
//     service is NO [UNAVAILABLE]. Without TLS, login is refused by the front (LOGINDISABLED,
//     NO [PRIVACYREQUIRED]) except from a loopback address when Options.PlaintextLoopback.
//   - A logged-in session asks authn.StillValid (no hashing) after every account-wide change
//     (FolderID 0) and at least every Options.Revalidate; a credential disabled, deleted or
//     expired gets the next command refused, a BYE and the connection closed, IDLE included.
//     A held IDLE is told by the change notifier (revocations are account-wide changes) and by
//     a timer at its credential's expiry; it looks again on its own only every
//     Options.IdleRecheck (ten minutes), which bounds what a lost notice leaves behind.
//   - IDLE sessions are bounded by Options.MaxIdle (past it IDLE answers NO) and counted in
//     Deps.Idle; Server.Close closes every connection at once, held IDLEs included (those the
//     fronts hold through their registry). A held IDLE waits for DONE at most 35 minutes (go-imap's
//     bound), then the connection is closed.
//   - Client input is framed by the front and parsed by go-imap (commands bounded to 50 KiB,
//     APPEND literals to mailbox.MaxMessage); unknown commands get BAD, commands in the wrong
//     state BAD or NO.
//
// SEARCH (search.go, searchkeys.go) asks the store's search index about its top-level text keys
// (BODY, TEXT, SUBJECT, FROM, TO, CC, HEADER): messages that are no candidate are skipped, those
// the index proves to match are tested on the other keys only, unread; the rest are read (the
// bodies only when no key needs a header) and tested as before, so answers stay the scan's.
package imap
