// Package bus carries mailbox changes between Tessera instances over Redis pub/sub, so a Ping held by one instance wakes for mail delivered by another.
package bus
