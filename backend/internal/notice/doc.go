// Package notice sends security notices by mail: a short plain-text message in the account's
// own Inbox (so every phone and mail app shows it too) when something changes on the account —
// a credential created or deleted, a new EAS device, 2FA turned off, a sign-in from a browser
// never seen before, an OTP entry locked, PIN codes running out, the password changed or reset.
//
// Services call it through a small interface each declares where it is used (Notify), with a
// Notice naming the event and what to show (a credential's kind and label, a device, a
// browser, an address), never a secret. The global setting securityNotices chooses which
// events send one (all by default). Delivery runs in the background through the mailbox's local
// delivery, bounded by a timeout: it never fails nor long delays the user's action. Every
// notice is audited (security_notice), a failed one with its error and in the server log.
//
// The texts are a table keyed by event (texts.go), English for now; a language is one more
// table. When the account has a recovery address and TESSERA_SMTP_RELAY is set, the same
// message also goes to that address through the relay (UseRelay), audited on its own; a
// change of the recovery address (recovery_changed) goes to the old address as well, so that
// whoever took over an account cannot quietly redirect its notices.
package notice
