// Package throttle slows down brute-force guessing with delays that double per failure, up to a cap, and never lock anyone out for good.
package throttle
