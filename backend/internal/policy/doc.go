// Package policy resolves the settings an account inherits from its COS, domain and the global
// level: 2FA, the password policy, what a new EAS device gets (device access) and how long a
// browser is remembered after a second factor (trusted browsers).
package policy
