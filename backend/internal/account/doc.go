// Package account holds the rules for accounts, domains, COS and the account password: creation, login, change, sessions.
//
// The owner is told by mail (package notice, through Notifier) of a password change or reset,
// 2FA turned off, and a sign-in from a browser the account has not used (notices.go).
package account
