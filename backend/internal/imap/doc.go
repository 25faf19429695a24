// Package imap is Tessera's IMAP4rev1 door (RFC 3501), thin over the mailbox service, authn
// and the change notifier, on emersion's go-imap v2 imapserver. Extensions: IDLE, MOVE,
// UIDPLUS, NAMESPACE, ENABLE, UNSELECT, LITERAL+, SPECIAL-USE, CHILDREN, SASL-IR; not
// CONDSTORE (go-imap's server does not parse its syntax yet) nor ID.
//
// Implementation notes (invariants):
//
//   - The store is the truth and is shared with EAS, LMTP, other IMAP sessions and other
//     instances. Each session keeps its own view of the selected folder (UIDs in sequence
//     order and their flags) and brings it up to date from the folder's change sequence
//     (items with a ModSeq above what it has seen, tombstones included) after every command
//     and, in IDLE, on every change the notifier brings. go-imap's MailboxTracker is not
//     used: it hears only of changes made through it.
//   - A message deleted elsewhere keeps its sequence number (marked gone) until an EXPUNGE
//     may be sent (not during FETCH, STORE or SEARCH); EXPUNGEs are sent from the highest
//     sequence number down.
//   - UIDs come from the store: an item takes its folder's UIDNEXT in the transaction that
//     adds, moves or copies it there, so UIDs only grow and UIDVALIDITY (the folder's id)
//     never has to change. MODSEQ would be the item's ModSeq.
//   - Flags: \Seen is the item's Read (EAS Read), \Flagged its Flagged (EAS Flag); \Answered,
//     \Draft, \Deleted and keywords are kept in IMAPFlags. Every change goes through the
//     mailbox service, which gives the item a new ModSeq and publishes a Change, so a phone's
//     held Ping wakes. EXPUNGE deletes through mailbox.Delete (a tombstone the phone syncs),
//     MOVE through mailbox.Move, APPEND through mailbox.Append (parsed like a delivery).
//   - Only mail folders are mailboxes; INBOX is the Inbox folder, others are named by the
//     path of display names joined by "/". Default folders cannot be renamed or deleted (as
//     in EAS); DELETE of a folder with subfolders is refused (EAS would delete the subtree).
//     No subscriptions are stored: every mailbox is subscribed.
//   - Login goes through authn with Service IMAP, the client's IP and the username as sent;
//     every refusal reads the same (NO [AUTHENTICATIONFAILED]); throttling or an away
//     service is NO [UNAVAILABLE]. Without TLS, login is refused (LOGINDISABLED) except from
//     a loopback address when Options.PlaintextLoopback: two go-imap servers sit behind one
//     Serve, one allowing plaintext login, and each connection is handed to one of them.
//   - A logged-in session asks authn.StillValid (no hashing) after every account-wide change
//     (FolderID 0) and at least every Options.Revalidate; a credential disabled, deleted or
//     expired gets the next command refused, a BYE and the connection closed, IDLE included.
//     A held IDLE is told by the change notifier (revocations are account-wide changes) and by
//     a timer at its credential's expiry; it looks again on its own only every
//     Options.IdleRecheck (ten minutes), which bounds what a lost notice leaves behind.
//   - IDLE sessions are bounded by Options.MaxIdle (past it IDLE answers NO) and counted in
//     Deps.Idle; Server.Close closes every connection at once, held IDLEs included.
//   - Client input is parsed by go-imap (commands bounded to 50 KiB, APPEND literals to
//     mailbox.MaxMessage); unknown commands get BAD, commands in the wrong state BAD or NO.
package imap
