// Package otp holds the TOTP and PIN-code primitives: seed sealing, code checks with replay protection, PIN generation.
package otp
