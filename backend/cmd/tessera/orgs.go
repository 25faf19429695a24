package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/audit"
)

// cliScope is the operator at the console: a global administrator.
var cliScope = admin.Scope{Global: true, Actor: audit.ActorCLI}

// orgFlags are the policy flags of `create` and `set`; only flags given on the command line count.
type orgFlags struct {
	twoFactor, easPassword, easEnabled string
	passkeyLogin                       string        // true, false or inherit
	password                           passwordFlags // password policy (orgs_password.go)
	limits                             limitFlags    // COS only
}

func (f *orgFlags) register(cmd *cobra.Command, forDomain bool) {
	cmd.Flags().StringVar(&f.twoFactor, "two-factor", "", "2FA policy: required, forbidden or unset")
	if forDomain {
		cmd.Flags().StringVar(&f.easPassword, "eas-require-device-password", "", "phones must set a device password: true or false")
	} else {
		cmd.Flags().StringVar(&f.easEnabled, "eas-enabled", "", "accounts may use Exchange ActiveSync: true or false")
		f.limits.register(cmd)
	}
	f.password.register(cmd, forDomain)
	cmd.Flags().StringVar(&f.passkeyLogin, "passkey-login", "", "sign in with a passkey alone (no password): true, false or inherit")
}

func (f *orgFlags) patch(cmd *cobra.Command) (admin.OrgPatch, bool, error) {
	var p admin.OrgPatch
	if cmd.Flags().Changed("two-factor") {
		p.TwoFactor = &f.twoFactor
	}
	for _, b := range []struct {
		flag, value string
		dst         **bool
	}{
		{"eas-require-device-password", f.easPassword, &p.EASRequireDevicePassword},
		{"eas-enabled", f.easEnabled, &p.EASEnabled},
	} {
		if !cmd.Flags().Changed(b.flag) {
			continue
		}
		v, err := parseBool(b.flag, b.value)
		if err != nil {
			return p, false, err
		}
		*b.dst = &v
	}
	if cmd.Flags().Changed("passkey-login") {
		if strings.EqualFold(f.passkeyLogin, "inherit") {
			p.PasskeyLogin = admin.Inherit[bool]()
		} else {
			v, err := parseBool("passkey-login", f.passkeyLogin)
			if err != nil {
				return p, false, err
			}
			p.PasskeyLogin = admin.Set(v)
		}
	}
	pwChanged, err := f.password.apply(cmd, &p)
	if err != nil {
		return p, false, err
	}
	limitsChanged, err := f.limits.patch(cmd, &p)
	if err != nil {
		return p, false, err
	}
	changed := p.TwoFactor != nil || p.EASRequireDevicePassword != nil || p.EASEnabled != nil || p.PasskeyLogin != nil || pwChanged || limitsChanged
	return p, changed, nil
}

func parseBool(flag, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0":
		return false, nil
	}
	return false, &usageError{fmt.Errorf("--%s wants true or false, got %q", flag, v)}
}

// printOrgs writes domains or COS as a table or, with --json, as JSON.
func printOrgs(w io.Writer, asJSON bool, v any, rows [][]string) error {
	if asJSON {
		return json.NewEncoder(w).Encode(v)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func domainRows(ds ...admin.Domain) [][]string {
	rows := [][]string{{"DOMAIN", "2FA", "EAS DEVICE PASSWORD", "ACCOUNTS"}}
	for _, d := range ds {
		rows = append(rows, []string{d.Name, d.TwoFactor, fmt.Sprint(d.EASRequireDevicePassword), fmt.Sprint(d.Accounts)})
	}
	return rows
}

func cosRows(cs ...admin.COS) [][]string {
	rows := [][]string{{"COS", "2FA", "EAS", "ACCOUNTS", "CREDENTIALS/KIND", "PIN CODES"}}
	for _, c := range cs {
		rows = append(rows, []string{c.Name, c.TwoFactor, fmt.Sprint(c.EASEnabled), fmt.Sprint(c.Accounts),
			limitText(c.MaxCredentialsPerKind), limitText(c.PinCodesPerEntry)})
	}
	return rows
}

// notFound names what was not found, or what is still in use, for the operator.
func notFound(kind, name string, err error) error {
	// Both are in use (409) to an API client; the operator is told which.
	if errors.Is(err, admin.ErrAdministered) {
		return fmt.Errorf("%s %q is administered by a domain admin; change their --admin-domains first", kind, name)
	}
	if errors.Is(err, admin.ErrInUse) {
		return fmt.Errorf("%s %q still has accounts; move or delete them first", kind, name)
	}
	return absent(fmt.Sprintf("%s %q", kind, name), err)
}

func domainCmd() *cobra.Command {
	c := &cobra.Command{Use: "domain", Short: "Manage mail domains"}
	var asJSON bool
	var flags orgFlags
	create := &cobra.Command{
		Use: "create DOMAIN", Short: "Add a mail domain", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, _, err := flags.patch(cmd)
			if err != nil {
				return err
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				d, err := ap.Orgs().CreateDomain(ctx, cliScope, a[0], p, "")
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created domain %s\n", d.Name)
				return nil
			})
		},
	}
	flags.register(create, true)
	list := &cobra.Command{
		Use: "list", Short: "List the domains with their policy and number of accounts", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				ds, err := ap.Orgs().Domains(ctx, cliScope)
				if err != nil {
					return err
				}
				return printOrgs(cmd.OutOrStdout(), asJSON, ds, domainRows(ds...))
			})
		},
	}
	show := &cobra.Command{
		Use: "show DOMAIN", Short: "Show one domain", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				name := strings.ToLower(a[0])
				d, err := ap.Orgs().Domain(ctx, cliScope, name)
				if err != nil {
					return notFound("domain", name, err)
				}
				return printOrgs(cmd.OutOrStdout(), asJSON, d, domainDetailRows(d))
			})
		},
	}
	var setFlags orgFlags
	set := &cobra.Command{
		Use: "set DOMAIN [--two-factor P] [--eas-require-device-password B] [--password-* V] [--account-password-for-mail B]", Short: "Change a domain's policy", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, changed, err := setFlags.patch(cmd)
			if err != nil {
				return err
			}
			if !changed {
				return &usageError{errors.New("nothing to change: give --two-factor, --eas-require-device-password, --account-password-for-mail or a --password-* flag")}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				name := strings.ToLower(a[0])
				d, err := ap.Orgs().PatchDomain(ctx, cliScope, name, p, "")
				if err != nil {
					return notFound("domain", name, err)
				}
				return printOrgs(cmd.OutOrStdout(), asJSON, d, domainDetailRows(d))
			})
		},
	}
	setFlags.register(set, true)
	del := &cobra.Command{
		Use: "delete DOMAIN", Short: "Delete a domain that has no accounts", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				name := strings.ToLower(a[0])
				if err := ap.Orgs().DeleteDomain(ctx, cliScope, name, ""); err != nil {
					return notFound("domain", name, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted domain %s\n", name)
				return nil
			})
		},
	}
	for _, sub := range []*cobra.Command{list, show, set} {
		sub.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	}
	c.AddCommand(create, list, show, set, del, domainDNSCmd())
	return c
}

func cosCmd() *cobra.Command {
	c := &cobra.Command{Use: "cos", Short: "Manage classes of service"}
	var asJSON bool
	var flags orgFlags
	create := &cobra.Command{
		Use: "create NAME", Short: "Add a class of service", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, _, err := flags.patch(cmd)
			if err != nil {
				return err
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				v, err := ap.Orgs().CreateCOS(ctx, cliScope, a[0], p, "")
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created COS %s\n", v.Name)
				return nil
			})
		},
	}
	flags.register(create, false)
	list := &cobra.Command{
		Use: "list", Short: "List the classes of service with their policy and number of accounts", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				cs, err := ap.Orgs().ListCOS(ctx)
				if err != nil {
					return err
				}
				return printOrgs(cmd.OutOrStdout(), asJSON, cs, cosRows(cs...))
			})
		},
	}
	show := &cobra.Command{
		Use: "show NAME", Short: "Show one class of service", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				v, err := ap.Orgs().COS(ctx, a[0])
				if err != nil {
					return notFound("COS", a[0], err)
				}
				return printOrgs(cmd.OutOrStdout(), asJSON, v, cosDetailRows(v))
			})
		},
	}
	var setFlags orgFlags
	set := &cobra.Command{
		Use: "set NAME [--two-factor P] [--eas-enabled B] [--password-* V] [--max-credentials-per-kind N|inherit] [--pin-codes-per-entry N|inherit]", Short: "Change a class of service's policy and limits", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, changed, err := setFlags.patch(cmd)
			if err != nil {
				return err
			}
			if !changed {
				return &usageError{errors.New("nothing to change: give --two-factor, --eas-enabled, a --password-* flag, --max-credentials-per-kind or --pin-codes-per-entry")}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				v, err := ap.Orgs().PatchCOS(ctx, cliScope, a[0], p, "")
				if err != nil {
					return notFound("COS", a[0], err)
				}
				return printOrgs(cmd.OutOrStdout(), asJSON, v, cosDetailRows(v))
			})
		},
	}
	setFlags.register(set, false)
	del := &cobra.Command{
		Use: "delete NAME", Short: "Delete a class of service no account belongs to", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				if err := ap.Orgs().DeleteCOS(ctx, cliScope, a[0], ""); err != nil {
					return notFound("COS", a[0], err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted COS %s\n", a[0])
				return nil
			})
		},
	}
	for _, sub := range []*cobra.Command{list, show, set} {
		sub.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	}
	c.AddCommand(create, list, show, set, del)
	return c
}
