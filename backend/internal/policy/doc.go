// Package policy resolves the 2FA setting of an account from its COS, domain and the global level.
package policy
