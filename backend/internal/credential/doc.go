// Package credential manages an account's secrets other than its password: EAS passwords, mobile-app QR logins, application passcodes.
//
// Creating or deleting one tells the owner by mail (package notice, through Notifier).
package credential
