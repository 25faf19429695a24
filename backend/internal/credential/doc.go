// Package credential manages an account's secrets other than its password: EAS passwords, mobile-app QR logins, application passcodes.
package credential
