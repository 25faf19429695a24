package credential

import "github.com/tessera-mail/tessera/backend/internal/store"

// The account's class of service may override two global limits; nil there inherits. Accounts
// come from the store with their COS loaded.

// maxPerKind is how many credentials of one kind the account may have (0: no limit).
func maxPerKind(a *store.Account, g *store.GlobalSettings) int {
	if a.COS != nil && a.COS.MaxCredentialsPerKind != nil {
		return *a.COS.MaxCredentialsPerKind
	}
	return g.MaxCredentialsPerKind
}

// pinCodesPerEntry is how many PIN codes a new OTP entry of the account gets.
func pinCodesPerEntry(a *store.Account, g *store.GlobalSettings) int {
	if a.COS != nil && a.COS.PinCodesPerEntry != nil {
		return *a.COS.PinCodesPerEntry
	}
	return g.PinCodesPerEntry
}
