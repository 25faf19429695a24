package submission

import (
	"strconv"

	"github.com/emersion/go-smtp"
)

// Replies, with RFC 3463 enhanced codes. Texts never echo the message, a secret or an internal
// error; an address the client sent may be named.
var (
	errTLSFirst      = reply(530, 5, 7, 0, "Must issue a STARTTLS command first")
	errAuthRequired  = reply(530, 5, 7, 0, "Authentication required")
	errAuthInvalid   = reply(535, 5, 7, 8, "Authentication credentials invalid")
	errAuthRevoked   = reply(535, 5, 7, 8, "Authentication credentials no longer valid, log in again")
	errAuthThrottled = reply(454, 4, 7, 0, "Too many failed attempts, try again later")
	errAuthTemp      = reply(454, 4, 7, 0, "Temporary authentication failure, try again later")
	errAuthSyntax    = reply(501, 5, 5, 2, "Malformed authentication response")
	errAuthzID       = reply(535, 5, 7, 8, "Authorization identity must be the username or empty")
	errNullSender    = reply(553, 5, 7, 1, "The null sender <> is not accepted for submission")
	errBadRecipient  = reply(553, 5, 1, 3, "Not a valid recipient address")
	errNoSuchUser    = reply(550, 5, 1, 1, "No such user here, and mail to other domains is not relayed")
	errTempLookup    = reply(451, 4, 3, 0, "Temporary failure looking up the recipient, try again later")
	errNotMessage    = reply(554, 5, 6, 0, "Not an RFC 5322 message")
	errNoRecipients  = reply(554, 5, 5, 1, "No valid recipients")
	errRelay         = reply(451, 4, 4, 0, "The relay did not take the message, try again later")
	errTempSend      = reply(451, 4, 3, 0, "Temporary failure sending the message, try again later")
	errShuttingDown  = reply(451, 4, 3, 2, "Shutting down, try again later")
	errTooLarge      = smtp.ErrDataTooLarge // 552 5.3.4
)

func reply(code, class, subject, detail int, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: msg}
}

// errSenderNotYours: MAIL FROM is not the authenticated account's address.
func errSenderNotYours(from, account string) *smtp.SMTPError {
	return reply(553, 5, 7, 1, "Sender address <"+from+"> is not yours: send as <"+account+">")
}

// errHeaderNotYours: the message's From (or Sender) header names another address.
func errHeaderNotYours(field, account string) *smtp.SMTPError {
	return reply(550, 5, 7, 1, "The "+field+" header must be your address <"+account+">")
}

// errLongLine: a message line over the limit (RFC 5322 allows 998 characters). go-smtp then
// closes the connection, as it cannot find where the line ends.
func errLongLine(max int) *smtp.SMTPError {
	return reply(554, 5, 6, 0, "A line of the message is longer than "+strconv.Itoa(max)+" bytes")
}
