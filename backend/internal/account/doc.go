// Package account holds the rules for accounts, domains, COS and the account password: creation, login, change, sessions.
//
// The owner is told by mail (package notice, through Notifier) of a password change or reset,
// 2FA turned off, a sign-in from a browser the account has not used (notices.go), and a change
// of the recovery address, the outside address notices are copied to (recovery.go, whose
// RecoveryAddress check the administrators' edit shares).
package account
