// Package cache keeps per-account values in one instance's memory for a short time, dropped at once when the account changes.
package cache
