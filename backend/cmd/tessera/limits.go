package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// limitFlags are the COS limits of `cos create` and `cos set`: a number, or "inherit" to use
// the global setting again.
type limitFlags struct{ maxCredentials, pinCodes string }

func (f *limitFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.maxCredentials, "max-credentials-per-kind", "", "credentials of one kind an account may have, or inherit (the global setting)")
	cmd.Flags().StringVar(&f.pinCodes, "pin-codes-per-entry", "", "PIN codes per new OTP entry, or inherit (the global setting)")
}

// patch puts the limits given on the command line into p and says whether there were any.
func (f *limitFlags) patch(cmd *cobra.Command, p *admin.OrgPatch) (bool, error) {
	changed := false
	for _, l := range []struct {
		flag, value string
		dst         **admin.LimitPatch
	}{
		{"max-credentials-per-kind", f.maxCredentials, &p.MaxCredentialsPerKind},
		{"pin-codes-per-entry", f.pinCodes, &p.PinCodesPerEntry},
	} {
		if cmd.Flags().Lookup(l.flag) == nil || !cmd.Flags().Changed(l.flag) {
			continue
		}
		changed = true
		if strings.EqualFold(l.value, "inherit") {
			*l.dst = admin.InheritLimit()
			continue
		}
		n, err := strconv.Atoi(l.value)
		if err != nil {
			return false, &usageError{fmt.Errorf("--%s wants a number or inherit, got %q", l.flag, l.value)}
		}
		*l.dst = admin.SetLimit(n) // the range is checked with the rest of the patch
	}
	return changed, nil
}

// limitText shows a COS limit; none means the global setting applies.
func limitText(v *int) string {
	if v == nil {
		return "inherit"
	}
	return strconv.Itoa(*v)
}
