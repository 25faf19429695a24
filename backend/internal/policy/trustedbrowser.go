package policy

import "github.com/tessera-mail/tessera/backend/internal/store"

// Bounds of the trustedBrowserDays setting; 0 turns "remember this browser" off.
const (
	TrustedBrowserDaysMin = 0
	TrustedBrowserDaysMax = 365
)

// TrustedBrowserDays resolves how many days a browser is remembered after a second factor,
// with the rule of 2FA: the most specific level that sets it wins (COS, domain, global). d and
// c may be nil.
func TrustedBrowserDays(g *store.GlobalSettings, d *store.Domain, c *store.COS) int {
	if c != nil && c.TrustedBrowserDays != nil {
		return *c.TrustedBrowserDays
	}
	if d != nil && d.TrustedBrowserDays != nil {
		return *d.TrustedBrowserDays
	}
	return g.TrustedBrowserDays
}
