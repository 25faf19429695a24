package main

import (
	"fmt"
	"io"

	"github.com/tessera-mail/tessera/backend/internal/app"
)

// printMailDoors tells the operator which mail doors are open and, while the certificate is
// self-signed, the fingerprint users compare with what their mail app shows.
func printMailDoors(out io.Writer, a *app.App) {
	doors := a.MailDoors()
	if len(doors) == 0 {
		return
	}
	fmt.Fprintf(out, "Mail doors: %s\n", app.DoorsLine(doors))
	m, err := a.MailTLS()
	if err != nil {
		return // Serve loaded it before opening the doors
	}
	if m.SelfSigned() {
		fmt.Fprintf(out, "Certificate (self-signed, %s) SHA-256 %s\n", m.CertFile(), m.Fingerprint())
	} else {
		fmt.Fprintf(out, "Certificate %s SHA-256 %s\n", m.CertFile(), m.Fingerprint())
	}
}
