package imap

import (
	"errors"

	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// mapErr turns a service error into the IMAP reply, once for the whole door. An error that is
// already an IMAP reply passes; anything unknown is logged by go-imap and answered NO
// [SERVERBUG] without detail.
func mapErr(err error) error {
	var ie *goimap.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie):
		return err
	case errors.Is(err, mailbox.ErrNoFolder), errors.Is(err, mailbox.ErrNoParent):
		return errNoMailbox
	case errors.Is(err, mailbox.ErrFolderExists):
		return no(goimap.ResponseCodeAlreadyExists, "A mailbox of that name exists")
	case errors.Is(err, mailbox.ErrSpecialFolder):
		return no(goimap.ResponseCodeCannot, "Default mailboxes cannot be renamed or deleted")
	case errors.Is(err, mailbox.ErrBadFolder):
		return no(goimap.ResponseCodeCannot, "Invalid mailbox name")
	case errors.Is(err, mailbox.ErrNoItem):
		return no(goimap.ResponseCodeNonExistent, "No such message")
	case errors.Is(err, mailbox.ErrTooManySubscriptions):
		return no(goimap.ResponseCodeLimit, "Too many subscriptions")
	case errors.Is(err, mailbox.ErrTooManyFlags):
		return no(goimap.ResponseCodeLimit, "Too many keywords on one message")
	}
	switch fault.KindOf(err) {
	case fault.Invalid:
		return no(goimap.ResponseCodeCannot, "Invalid request")
	case fault.NotFound:
		return no(goimap.ResponseCodeNonExistent, "Not found")
	case fault.Throttled, fault.Unavailable:
		return errTryLater
	}
	return err
}

func no(code goimap.ResponseCode, text string) error {
	return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: code, Text: text}
}
