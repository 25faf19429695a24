package lmtp

import "github.com/emersion/go-smtp"

// Replies, with RFC 3463 enhanced codes. Texts never echo the message or an internal error.
var (
	// A missing account and an inactive one get the same reply, so the reply does not say
	// which addresses exist but are locked or closed.
	errNoSuchUser   = reply(550, 5, 1, 1, "No such user here")
	errBadAddress   = reply(553, 5, 1, 3, "Not a valid recipient address")
	errTempLookup   = reply(451, 4, 3, 0, "Temporary failure looking up the recipient, try again later")
	errTempStore    = reply(451, 4, 3, 0, "Temporary failure storing the message, try again later")
	errNotMessage   = reply(554, 5, 6, 0, "Not an RFC 5322 message")
	errShuttingDown = reply(451, 4, 3, 2, "Shutting down, try again later")
	errTooLarge     = smtp.ErrDataTooLarge // 552 5.3.4
)

func reply(code, class, subject, detail int, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: msg}
}
