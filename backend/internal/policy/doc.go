// Package policy resolves the settings an account inherits from its COS, domain and the global
// level: 2FA, the password policy, and what a new EAS device gets (device access).
package policy
