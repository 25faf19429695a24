package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func accountCmd() *cobra.Command {
	c := &cobra.Command{Use: "account", Short: "Manage accounts"}
	var pw, role, cos, adminDomains string
	var pwStdin bool
	create := &cobra.Command{
		Use: "create EMAIL", Short: "Add an account (a strong password is generated and printed once when none is given)",
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := readPassword(cmd, &pw, pwStdin); err != nil {
				return err
			}
			in := account.CreateInput{Email: a[0], Password: pw, Role: role, COS: cos}
			if cmd.Flags().Changed("admin-domains") {
				if role != store.RoleDomainAdmin {
					return &usageError{errors.New("--admin-domains goes with --role domain_admin")}
				}
				in.AdminDomains = splitList(adminDomains)
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, generated, err := ap.Accounts.Create(ctx, audit.ActorCLI, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created account %s (role %s)\n", acct.Email, acct.Role)
				if generated != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "password: %s\n", generated)
				}
				return nil
			})
		},
	}
	create.Flags().StringVar(&pw, "password", "", "the password (default: generate one)")
	create.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input")
	create.Flags().StringVar(&role, "role", "user", "user, domain_admin or global_admin")
	create.Flags().StringVar(&cos, "cos", "", "class of service")
	create.Flags().StringVar(&adminDomains, "admin-domains", "", "a domain admin's domains, comma-separated (default: the account's own)")

	var setPw string
	var setStdin, requireChange bool
	set := &cobra.Command{
		Use: "set-password EMAIL", Short: "Set an account's password and end its sessions (generated when none is given)",
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := readPassword(cmd, &setPw, setStdin); err != nil {
				return err
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				generated, err := ap.Accounts.SetPassword(ctx, audit.ActorCLI, a[0], setPw, requireChange)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password set for %s; its sessions have ended\n", strings.ToLower(strings.TrimSpace(a[0])))
				if requireChange {
					fmt.Fprintln(cmd.OutOrStdout(), "the user must choose a new password at the next login")
				}
				if generated != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "password: %s\n", generated)
				}
				return nil
			})
		},
	}
	set.Flags().StringVar(&setPw, "password", "", "the new password (default: generate one)")
	set.Flags().BoolVar(&setStdin, "password-stdin", false, "read the password from standard input")
	set.Flags().BoolVar(&requireChange, "require-change", false, "make the user choose a new password at the next login")

	var domain string
	var listJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List accounts", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				accts, err := ap.Accounts.List(ctx, domain)
				if err != nil {
					return err
				}
				if listJSON {
					views := make([]accountView, len(accts))
					for i := range accts {
						views[i] = viewAccount(&accts[i])
					}
					return json.NewEncoder(cmd.OutOrStdout()).Encode(views)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "EMAIL\tROLE\tSTATUS\tCOS\tCREATED")
				for _, a := range accts {
					cosName := "-"
					if a.COS != nil {
						cosName = a.COS.Name
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Email, a.Role, a.Status, cosName, a.CreatedAt.UTC().Format("2006-01-02 15:04"))
				}
				return w.Flush()
			})
		},
	}
	list.Flags().StringVar(&domain, "domain", "", "only accounts of this domain")
	list.Flags().BoolVar(&listJSON, "json", false, "print JSON")
	c.AddCommand(create, set, list)
	c.AddCommand(accountAdminCmds()...)
	return c
}

// splitList splits a comma-separated flag value; an empty value is an empty list.
func splitList(v string) []string {
	out := []string{}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// readPassword takes the first line of standard input when asked to (keeps it out of ps and shell history).
func readPassword(cmd *cobra.Command, pw *string, fromStdin bool) error {
	if !fromStdin {
		return nil
	}
	if *pw != "" {
		return &usageError{fmt.Errorf("give --password or --password-stdin, not both")}
	}
	line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("no password on standard input")
	}
	*pw = strings.TrimRight(line, "\r\n")
	if *pw == "" {
		return fmt.Errorf("empty password on standard input")
	}
	return nil
}
