package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/passkey"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// credentialView is what the CLI prints of a credential: never its hash or seed.
type credentialView struct {
	ID             uint64     `json:"id"`
	Kind           string     `json:"kind"`
	Label          string     `json:"label"`
	Status         string     `json:"status"`
	FailedAttempts int        `json:"failedAttempts"`
	ExpiresAt      *time.Time `json:"expiresAt"`
	LastUsedAt     *time.Time `json:"lastUsedAt"`
	CreatedAt      time.Time  `json:"createdAt"`
	// Services a passcode opens; LastUsedAddress the client address of its last use.
	Services        []string `json:"services"`
	LastUsedAddress string   `json:"lastUsedAddress"`
	// Authenticator: a passkey's model, when its AAGUID is a known one.
	Authenticator string `json:"authenticator,omitempty"`
}

func viewCredential(c *store.Credential) credentialView {
	services := []string{}
	if c.Services != "" {
		services = strings.Split(c.Services, ",")
	}
	return credentialView{ID: c.ID, Kind: c.Kind, Label: c.Label, Status: c.Status, FailedAttempts: c.FailedAttempts,
		ExpiresAt: c.ExpiresAt, LastUsedAt: c.LastUsedAt, CreatedAt: c.CreatedAt, Services: services, LastUsedAddress: c.LastUsedIP,
		Authenticator: passkey.Model(c.AAGUID)}
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func credentialID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, &usageError{fmt.Errorf("a credential id is a positive number, got %q", s)}
	}
	return id, nil
}

func credentialNotFound(id uint64, err error) error {
	return absent(fmt.Sprintf("credential %d", id), err)
}

// credentialCmd is the administrators' limited edit of credentials (seed 000), from the console.
func credentialCmd() *cobra.Command {
	c := &cobra.Command{Use: "credential", Short: "An account's credentials: list, limited edit, delete"}
	var asJSON bool
	list := &cobra.Command{
		Use: "list EMAIL", Short: "List an account's credentials (never a secret)", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				email := strings.ToLower(strings.TrimSpace(a[0]))
				_, creds, err := ap.Admin().Credentials(ctx, cliScope, email)
				if err != nil {
					return absent("account "+email, err)
				}
				views := make([]credentialView, len(creds))
				for i := range creds {
					views[i] = viewCredential(&creds[i])
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(views)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tKIND\tLABEL\tSTATUS\tFAILED\tEXPIRES\tLAST USED\tFROM\tSERVICES")
				for _, v := range views {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", v.ID, v.Kind, v.Label, v.Status, v.FailedAttempts, timeOrDash(v.ExpiresAt), timeOrDash(v.LastUsedAt),
						orDash(v.LastUsedAddress), strings.Join(v.Services, ","))
				}
				return w.Flush()
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var label, expires, services string
	var enable, disable, clearExpiry, resetFailed bool
	set := &cobra.Command{
		Use:   "set ID [--label L] [--enable|--disable] [--expires RFC3339|--clear-expiry] [--reset-failed] [--services imap,pop3,smtp,dav,eas]",
		Short: "Change a credential's label, status or expiry, reset its failed attempts (unlocks an OTP entry), or narrow a passcode's services",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := credentialID(a[0])
			if err != nil {
				return err
			}
			var p admin.CredentialPatch
			if cmd.Flags().Changed("label") {
				p.Label = &label
			}
			switch {
			case enable && disable:
				return &usageError{errors.New("--enable and --disable exclude each other")}
			case enable:
				p.Status = ptr("enabled")
			case disable:
				p.Status = ptr("disabled")
			}
			if expires != "" {
				t, err := time.Parse(time.RFC3339, expires)
				if err != nil {
					return &usageError{fmt.Errorf("--expires is an RFC 3339 time, e.g. 2027-01-31T00:00:00Z")}
				}
				p.ExpiresAt = &t
			}
			p.ClearExpiry, p.ResetFailedAttempts = clearExpiry, resetFailed
			if cmd.Flags().Changed("services") {
				p.Services = serviceList(services)
			}
			if p.Label == nil && p.Status == nil && p.ExpiresAt == nil && !p.ClearExpiry && !p.ResetFailedAttempts && p.Services == nil {
				return &usageError{errors.New("nothing to change: give --label, --enable, --disable, --expires, --clear-expiry, --reset-failed or --services")}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				cr, err := ap.Admin().PatchCredential(ctx, cliScope, id, p, "")
				if err != nil {
					return credentialNotFound(id, err)
				}
				v := viewCredential(cr)
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(v)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "credential %d (%s %q): %s, %d failed attempts, expires %s, services %s\n", v.ID, v.Kind, v.Label, v.Status, v.FailedAttempts, timeOrDash(v.ExpiresAt),
					strings.Join(v.Services, ","))
				return nil
			})
		},
	}
	set.Flags().StringVar(&label, "label", "", "a new label")
	set.Flags().BoolVar(&enable, "enable", false, "enable the credential")
	set.Flags().BoolVar(&disable, "disable", false, "disable the credential (it stops working at once)")
	set.Flags().StringVar(&expires, "expires", "", "expiry time, RFC 3339")
	set.Flags().BoolVar(&clearExpiry, "clear-expiry", false, "remove the expiry")
	set.Flags().BoolVar(&resetFailed, "reset-failed", false, "reset failed attempts (unlocks a locked OTP entry)")
	set.Flags().StringVar(&services, "services", "", "an application passcode's services, a subset of its own (imap, pop3, smtp, dav = caldav+carddav, eas): narrows, never widens")
	set.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	del := &cobra.Command{
		Use: "delete ID", Short: "Delete a credential", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := credentialID(a[0])
			if err != nil {
				return err
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				if err := ap.Admin().DeleteCredential(ctx, cliScope, id, ""); err != nil {
					return credentialNotFound(id, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted credential %d\n", id)
				return nil
			})
		},
	}
	c.AddCommand(list, set, del)
	return c
}

func ptr[T any](v T) *T { return &v }

// auditCmd reads the audit log, newest first, as a table, JSON or CSV.
func auditCmd() *cobra.Command {
	var f store.AuditFilter
	var from, to, format string
	c := &cobra.Command{
		Use:   "audit [--account EMAIL] [--actor EMAIL] [--kind KIND] [--from T] [--to T] [--limit N] [--format table|json|csv]",
		Short: "Read the audit log, newest first", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, t := range []struct {
				flag, value string
				dst         *time.Time
			}{{"from", from, &f.Since}, {"to", to, &f.Until}} {
				if t.value == "" {
					continue
				}
				v, err := time.Parse(time.RFC3339, t.value)
				if err != nil {
					return &usageError{fmt.Errorf("--%s is an RFC 3339 time, e.g. 2026-11-22T00:00:00Z", t.flag)}
				}
				*t.dst = v
			}
			if format != "table" && format != "json" && format != "csv" {
				return &usageError{fmt.Errorf("--format is table, json or csv, got %q", format)}
			}
			if f.Limit < 1 || f.Limit > 100000 {
				return &usageError{errors.New("--limit is from 1 to 100000")}
			}
			f.Account, f.Actor = strings.ToLower(f.Account), strings.ToLower(f.Actor)
			return withApp(func(ctx context.Context, ap *app.App) error {
				events, err := ap.Admin().Audit(ctx, cliScope, f)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				switch format {
				case "json":
					return json.NewEncoder(out).Encode(admin.AuditItems(events))
				case "csv":
					return admin.WriteAuditCSV(out, events)
				}
				w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "TIME\tACTOR\tACCOUNT\tKIND\tOUTCOME\tREASON")
				for _, e := range events {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", e.At.UTC().Format(time.RFC3339), e.Actor, e.Account, e.Action, e.Outcome, e.Reason)
				}
				return w.Flush()
			})
		},
	}
	c.Flags().StringVar(&f.Account, "account", "", "events of this account")
	c.Flags().StringVar(&f.Actor, "actor", "", "events by this actor (an address, or cli)")
	c.Flags().StringVar(&f.Action, "kind", "", "events of this kind, e.g. login_failed")
	c.Flags().StringVar(&from, "from", "", "from this time on (RFC 3339)")
	c.Flags().StringVar(&to, "to", "", "up to this time (RFC 3339)")
	c.Flags().IntVar(&f.Limit, "limit", 100, "at most this many events")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	return c
}

// serviceList reads --services: comma-separated service names, "dav" for CalDAV and CardDAV.
func serviceList(v string) []string {
	out := []string{}
	for _, s := range strings.Split(v, ",") {
		switch s = strings.ToLower(strings.TrimSpace(s)); s {
		case "":
		case "dav":
			out = append(out, "caldav", "carddav")
		default:
			out = append(out, s)
		}
	}
	return out
}
