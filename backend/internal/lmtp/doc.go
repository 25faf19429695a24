// Package lmtp receives mail from the local MTA over LMTP (RFC 2033) and stores it in the recipients' Inboxes.
package lmtp
