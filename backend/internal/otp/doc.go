// Package otp holds the TOTP and PIN-code primitives: seed sealing, code checks with replay protection, PIN generation.
//
// The owner is told by mail (package notice) when an entry is confirmed or locks, and when a
// sign-in leaves 2 unused PIN codes.
package otp
