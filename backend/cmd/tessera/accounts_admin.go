package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// accountView is what `--json` prints of an account (never its password hash).
type accountView struct {
	Email            string     `json:"email"`
	Domain           string     `json:"domain"`
	Role             string     `json:"role"`
	Status           string     `json:"status"`
	COS              *string    `json:"cos"`
	TwoFactorEnabled bool       `json:"twoFactorEnabled"`
	LastLoginAt      *time.Time `json:"lastLoginAt"`
	CreatedAt        time.Time  `json:"createdAt"`
	// MustChangePassword: a reset required a new password that the user has not chosen yet.
	MustChangePassword bool `json:"mustChangePassword"`
	// AdminDomains: a domain admin's domains (show and set only).
	AdminDomains []string `json:"adminDomains,omitempty"`
	// RecoveryEmail: where security notices also go through the relay ("" for none).
	RecoveryEmail string `json:"recoveryEmail"`
}

func viewAccount(a *store.Account) accountView {
	v := accountView{Email: a.Email, Domain: a.Domain.Name, Role: a.Role, Status: a.Status, TwoFactorEnabled: a.TwoFactorEnabled,
		LastLoginAt: a.LastLoginAt, CreatedAt: a.CreatedAt, MustChangePassword: a.MustChangePassword,
		RecoveryEmail: a.RecoveryEmail}
	if a.COS != nil {
		v.COS = &a.COS.Name
	}
	return v
}

func printAccount(ctx context.Context, ap *app.App, w io.Writer, asJSON bool, a *store.Account) error {
	v := viewAccount(a)
	var err error
	if v.AdminDomains, err = ap.Admin().AdminDomains(ctx, cliScope, a); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(w).Encode(v)
	}
	cos := "-"
	if v.COS != nil {
		cos = *v.COS
	}
	if _, err := fmt.Fprintf(w, "%s\n  role %s, status %s, COS %s, 2FA %v\n  last login %s, created %s\n",
		v.Email, v.Role, v.Status, cos, v.TwoFactorEnabled, timeOrDash(v.LastLoginAt), v.CreatedAt.UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	if v.MustChangePassword {
		_, err = fmt.Fprintln(w, "  password change pending (required at the next login)")
	}
	if err == nil && v.RecoveryEmail != "" {
		_, err = fmt.Fprintf(w, "  recovery address %s\n", v.RecoveryEmail)
	}
	if err == nil && v.AdminDomains != nil {
		_, err = fmt.Fprintf(w, "  admin domains %s\n", strings.Join(v.AdminDomains, ", "))
	}
	return err
}

func accountNotFound(email string, err error) error {
	return absent("account "+email, err)
}

// accountAdminCmds are the administrators' account commands: show, set, logout-all.
func accountAdminCmds() []*cobra.Command {
	var asJSON bool
	show := &cobra.Command{
		Use: "show EMAIL", Short: "Show an account", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			email := strings.ToLower(strings.TrimSpace(a[0]))
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Admin().Account(ctx, cliScope, email)
				if err != nil {
					return accountNotFound(email, err)
				}
				return printAccount(ctx, ap, cmd.OutOrStdout(), asJSON, acct)
			})
		},
	}
	var role, cos, status, adminDomains, recovery string
	set := &cobra.Command{
		Use:   "set EMAIL [--role R] [--cos NAME|--cos ''] [--status active|locked|closed] [--admin-domains a.com,b.org] [--recovery-email ADDR|'']",
		Short: "Change an account's role, COS, status, admin domains or recovery address (locking or closing ends its sessions)",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			var p admin.AccountPatch
			if cmd.Flags().Changed("role") {
				p.Role = &role
			}
			if cmd.Flags().Changed("cos") {
				p.COS = &cos
			}
			if cmd.Flags().Changed("status") {
				p.Status = &status
			}
			if cmd.Flags().Changed("admin-domains") {
				if p.Role != nil && role != store.RoleDomainAdmin {
					return &usageError{errors.New("--admin-domains goes with --role domain_admin")}
				}
				list := splitList(adminDomains)
				p.AdminDomains = &list
			}
			if cmd.Flags().Changed("recovery-email") {
				p.RecoveryEmail = &recovery
			}
			if p.Role == nil && p.COS == nil && p.Status == nil && p.AdminDomains == nil && p.RecoveryEmail == nil {
				return &usageError{errors.New("nothing to change: give --role, --cos, --status, --admin-domains or --recovery-email")}
			}
			email := strings.ToLower(strings.TrimSpace(a[0]))
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Admin().PatchAccount(ctx, cliScope, email, p, "")
				if err != nil {
					return accountNotFound(email, err)
				}
				return printAccount(ctx, ap, cmd.OutOrStdout(), asJSON, acct)
			})
		},
	}
	set.Flags().StringVar(&adminDomains, "admin-domains", "", "a domain admin's domains, comma-separated ('' = the account's own)")
	set.Flags().StringVar(&role, "role", "", "user, domain_admin or global_admin")
	set.Flags().StringVar(&cos, "cos", "", "class of service ('' removes it)")
	set.Flags().StringVar(&status, "status", "", "active, locked or closed")
	set.Flags().StringVar(&recovery, "recovery-email", "", "where security notices also go through the relay ('' removes it)")
	logoutAll := &cobra.Command{
		Use: "logout-all EMAIL", Short: "End every session of an account", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			email := strings.ToLower(strings.TrimSpace(a[0]))
			return withApp(func(ctx context.Context, ap *app.App) error {
				if err := ap.Admin().EndSessions(ctx, cliScope, email, ""); err != nil {
					return accountNotFound(email, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "ended every session of %s\n", email)
				return nil
			})
		},
	}
	for _, c := range []*cobra.Command{show, set} {
		c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	}
	return []*cobra.Command{show, set, logoutAll, accountSessionsCmd()}
}
