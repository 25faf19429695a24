package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/app"
)

// doorOrder is the order the doors are printed in, whatever order they opened in.
var doorOrder = map[string]int{"imap": 0, "imaps": 1, "submission": 2, "submissions": 3, "pop3": 4, "pop3s": 5}

// doorLabels name the doors as the README and mail apps do.
var doorLabels = map[string]string{"imap": "IMAP", "imaps": "IMAPS", "pop3": "POP3", "pop3s": "POP3S",
	"submission": "Submission", "submissions": "Submissions"}

// printMailDoors tells the operator which mail doors are open and, while the certificate is
// self-signed, the fingerprint users compare with what their mail app shows.
func printMailDoors(out io.Writer, a *app.App) {
	doors := a.MailDoors()
	if len(doors) == 0 {
		return
	}
	sort.SliceStable(doors, func(i, j int) bool { return doorOrder[doors[i].Name] < doorOrder[doors[j].Name] })
	parts := make([]string, len(doors))
	for i, d := range doors {
		parts[i] = doorLabels[d.Name] + " " + d.Addr
		switch {
		case d.ImplicitTLS:
		case strings.HasPrefix(d.Name, "pop3"):
			parts[i] += " (STLS)"
		default:
			parts[i] += " (STARTTLS)"
		}
	}
	fmt.Fprintf(out, "Mail doors: %s\n", strings.Join(parts, ", "))
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
