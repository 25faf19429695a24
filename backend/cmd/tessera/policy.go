package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/policy"
)

func policyCmd() *cobra.Command {
	c := &cobra.Command{Use: "policy", Short: "2FA policy on the global, domain and COS levels"}
	c.AddCommand(&cobra.Command{
		Use:   "set-2fa global|domain NAME|cos NAME required|forbidden|unset",
		Short: "Set the 2FA policy of a level (the most specific set level wins: COS, domain, global)",
		Args: args(func(cmd *cobra.Command, a []string) error {
			if len(a) == 2 && a[0] == "global" || len(a) == 3 && (a[0] == "domain" || a[0] == "cos") {
				return nil
			}
			return fmt.Errorf("want global VALUE, domain NAME VALUE or cos NAME VALUE")
		}),
		RunE: func(cmd *cobra.Command, a []string) error {
			level, name, value := policy.Level(a[0]), "", a[len(a)-1]
			if len(a) == 3 {
				name = a[1]
				if level == policy.LevelDomain {
					name = strings.ToLower(name)
				}
			}
			v, err := policy.Parse(value)
			if err != nil {
				return &usageError{err}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				if err := ap.Policy.Set(ctx, level, name, v); err != nil {
					return err
				}
				where := string(level)
				if name != "" {
					where += " " + name
				}
				ap.Accounts.Audit(ctx, audit.ActorCLI, audit.ActionPolicySet, where+": 2FA "+value)
				fmt.Fprintf(cmd.OutOrStdout(), "2FA policy of %s: %s\n", where, value)
				return nil
			})
		},
	})
	c.AddCommand(&cobra.Command{
		Use: "show EMAIL", Short: "Show an account's effective 2FA state (and which level decided it), password policy and mail-password rule",
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return err
				}
				d, err := ap.Policy.Decide(ctx, acct)
				if err != nil {
					return err
				}
				state := map[bool]string{true: "on", false: "off"}[d.Enabled]
				by := "the user's own choice"
				if d.LockedBy != policy.LevelNone {
					by = "the " + string(d.LockedBy) + " policy"
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "%s: 2FA %s (decided by %s)\n", acct.Email, state, by)
				pw, err := ap.Policy.PasswordFor(ctx, acct)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "  password policy: %s (COS over domain over global, rule by rule)\n", describePasswordPolicy(pw))
				ok, why, err := ap.Policy.MailPassword(ctx, acct)
				if err != nil {
					return err
				}
				mail := "accepted"
				if !ok {
					mail = "refused: " + why
				}
				fmt.Fprintf(out, "  account password on EAS, IMAP, POP3, SMTP, CalDAV, CardDAV: %s\n", mail)
				return nil
			})
		},
	})
	return c
}

// describePasswordPolicy says an effective password policy in one line.
func describePasswordPolicy(p password.Policy) string {
	out := fmt.Sprintf("at least %d characters", p.MinLength)
	for _, r := range []struct {
		on   bool
		what string
	}{{p.RequireLower, "a lower-case letter"}, {p.RequireUpper, "an upper-case letter"}, {p.RequireDigit, "a digit"}, {p.RequireSymbol, "a symbol"}} {
		if r.on {
			out += ", " + r.what
		}
	}
	return out
}
