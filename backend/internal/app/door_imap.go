package app

import "crypto/tls"

// imapDoors: filled in by the imap package's wiring.
func (a *App) imapDoors(tlsCfg *tls.Config) []Door { return nil }
