package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/app"
)

// printMailDoors tells the operator which mail doors are open, the certificate's fingerprint
// users compare with what their mail app shows, and where a user gets the password a mail app
// takes: a newcomer who types the account password into a mail app is refused once 2FA is on.
func printMailDoors(out io.Writer, a *app.App, publicURL string) {
	doors := a.MailDoors()
	if len(doors) == 0 {
		return
	}
	fmt.Fprintf(out, "Mail doors: %s\n", app.DoorsLine(doors))
	if m, err := a.MailTLS(); err == nil { // Serve loaded it before opening the doors
		if m.SelfSigned() {
			fmt.Fprintf(out, "Certificate (self-signed, %s) SHA-256 %s\n", m.CertFile(), m.Fingerprint())
		} else {
			fmt.Fprintf(out, "Certificate %s SHA-256 %s\n", m.CertFile(), m.Fingerprint())
		}
	}
	fmt.Fprintf(out, "Mail apps log in with the account's address and an application passcode made at %s/settings/app-passcodes\n",
		strings.TrimRight(publicURL, "/"))
}
