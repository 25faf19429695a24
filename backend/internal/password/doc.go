// Package password checks account passwords against the configurable policy, hashes and verifies them with argon2id, and generates strong ones.
package password
