package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// passwordFlags are the password-policy flags of domain and cos create/set (migration 0010).
// Each override takes a value or "inherit", which clears it.
type passwordFlags struct {
	minLength, lower, upper, digit, symbol, forMail string
}

var passwordBoolFlags = []struct{ flag, what string }{
	{"password-require-lowercase", "a lower-case letter"},
	{"password-require-uppercase", "an upper-case letter"},
	{"password-require-digit", "a digit"},
	{"password-require-symbol", "a symbol"},
}

func (f *passwordFlags) register(cmd *cobra.Command, forDomain bool) {
	cmd.Flags().StringVar(&f.minLength, "password-min-length", "", "shortest account password (1-128), or inherit")
	for i, dst := range []*string{&f.lower, &f.upper, &f.digit, &f.symbol} {
		b := passwordBoolFlags[i]
		cmd.Flags().StringVar(dst, b.flag, "", "account passwords need "+b.what+": true, false or inherit")
	}
	if forDomain {
		cmd.Flags().StringVar(&f.forMail, "account-password-for-mail", "",
			"the account password may open EAS, IMAP, POP3, SMTP and DAV while 2FA is off: true or false")
	}
}

// apply adds the flags given on the command line to p and reports whether there were any.
func (f *passwordFlags) apply(cmd *cobra.Command, p *admin.OrgPatch) (bool, error) {
	changed := false
	if cmd.Flags().Changed("password-min-length") {
		changed = true
		if isInherit(f.minLength) {
			p.Password.MinLength = admin.Inherit[int]()
		} else if n, err := strconv.Atoi(f.minLength); err == nil {
			p.Password.MinLength = admin.Set(n)
		} else {
			return false, &usageError{fmt.Errorf("--password-min-length wants a number or inherit, got %q", f.minLength)}
		}
	}
	dsts := []**admin.Override[bool]{&p.Password.RequireLowercase, &p.Password.RequireUppercase, &p.Password.RequireDigit, &p.Password.RequireSymbol}
	for i, v := range []string{f.lower, f.upper, f.digit, f.symbol} {
		flag := passwordBoolFlags[i].flag
		if !cmd.Flags().Changed(flag) {
			continue
		}
		changed = true
		if isInherit(v) {
			*dsts[i] = admin.Inherit[bool]()
			continue
		}
		b, err := parseBool(flag, v)
		if err != nil {
			return false, &usageError{fmt.Errorf("--%s wants true, false or inherit, got %q", flag, v)}
		}
		*dsts[i] = admin.Set(b)
	}
	if cmd.Flags().Changed("account-password-for-mail") {
		b, err := parseBool("account-password-for-mail", f.forMail)
		if err != nil {
			return false, err
		}
		p.AccountPasswordForMail, changed = &b, true
	}
	return changed, nil
}

func isInherit(v string) bool { return strings.EqualFold(v, "inherit") }

// passwordRows lists the password policy of a domain or COS under its table; forMail is nil for
// a COS.
func passwordRows(o admin.PasswordOverrides, forMail *bool) [][]string {
	show := admin.OverrideText
	rows := [][]string{{}, {"PASSWORD POLICY", "VALUE"},
		{"min length", show(o.PasswordMinLength)},
		{"require lowercase", show(o.PasswordRequireLowercase)},
		{"require uppercase", show(o.PasswordRequireUppercase)},
		{"require digit", show(o.PasswordRequireDigit)},
		{"require symbol", show(o.PasswordRequireSymbol)},
	}
	if forMail != nil {
		rows = append(rows, []string{"account password for mail", strconv.FormatBool(*forMail)})
	}
	return rows
}

func domainDetailRows(d admin.Domain) [][]string {
	return append(domainRows(d), passwordRows(d.PasswordOverrides, &d.AccountPasswordForMail)...)
}

func cosDetailRows(c admin.COS) [][]string {
	return append(cosRows(c), passwordRows(c.PasswordOverrides, nil)...)
}
