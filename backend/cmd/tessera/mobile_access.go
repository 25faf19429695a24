package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// mobileAccessCmds are device access control in the seed's style (doSuspendDevice and
// doResumeDevice as Carbonio names them): decisions on one device, the quarantine, the rules.
// Everything goes through package admin with the CLI's scope, as the API does, and is audited.
func mobileAccessCmds() []*cobra.Command {
	decision := func(use, short, done string, do func(ctx context.Context, ap *app.App, email, id string) error) *cobra.Command {
		return &cobra.Command{Use: use + " ACCOUNT DEVICE_ID", Short: short, Args: args(cobra.ExactArgs(2)),
			RunE: func(cmd *cobra.Command, a []string) error {
				email, err := mobileAccount(a[0])
				if err != nil {
					return &usageError{fmt.Errorf("account %q: %w", a[0], err)}
				}
				return withApp(func(ctx context.Context, ap *app.App) error {
					if err := do(ctx, ap, email, a[1]); err != nil {
						return deviceError(email, a[1], err)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s device %s of %s\n", done, a[1], email)
					return nil
				})
			}}
	}
	decide := func(access policy.DeviceAccess) func(ctx context.Context, ap *app.App, email, id string) error {
		return func(ctx context.Context, ap *app.App, email, id string) error {
			_, err := ap.DeviceAccess().DecideDevice(ctx, cliScope, email, id, access, "")
			return err
		}
	}
	suspend := func(on bool) func(ctx context.Context, ap *app.App, email, id string) error {
		return func(ctx context.Context, ap *app.App, email, id string) error {
			_, err := ap.DeviceAccess().SuspendDevice(ctx, cliScope, email, id, on, "")
			return err
		}
	}
	return []*cobra.Command{
		decision("doSuspendDevice", "Suspend a device's sync; its SyncStates stay (it gets 503 with Retry-After meanwhile)", "suspended", suspend(true)),
		decision("doResumeDevice", "Resume a suspended device; it goes on with its SyncKeys, without a resync", "resumed", suspend(false)),
		decision("allowDevice", "Approve a device (out of quarantine, or unblock it); wins over the rules", "allowed", decide(policy.DeviceAllowed)),
		decision("blockDevice", "Block a device (common status 129); wins over the rules", "blocked", decide(policy.DeviceBlocked)),
		quarantineCmd(),
		rulesCmd(),
	}
}

func quarantineCmd() *cobra.Command {
	c := &cobra.Command{Use: "quarantine", Short: "Devices awaiting approval"}
	c.AddCommand(&cobra.Command{Use: "list", Short: "List the devices awaiting approval, oldest first", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				held, err := ap.DeviceAccess().Quarantined(ctx, cliScope)
				if err != nil {
					return err
				}
				if len(held) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "no devices awaiting approval")
					return nil
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ACCOUNT\tDEVICE ID\tTYPE\tMODEL\tOS\tUSER AGENT\tFIRST SYNC")
				for _, d := range held {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Email, d.DeviceID, d.DeviceType, orDash(d.Model), orDash(d.OS),
						orDash(d.UserAgent), d.FirstSyncAt.UTC().Format("2006-01-02 15:04"))
				}
				return w.Flush()
			})
		}})
	return c
}

func rulesCmd() *cobra.Command {
	c := &cobra.Command{Use: "rules", Short: "Device access rules: the domain's, then the global ones, first match wins"}
	var domain string
	var position int
	list := &cobra.Command{Use: "list", Short: "List one level's rules in order (--domain: a domain's; else the global ones)", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				rules, err := ap.DeviceAccess().DeviceRules(ctx, cliScope, domain)
				if err != nil {
					return absent("domain "+domain, err)
				}
				if len(rules) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "no rules")
					return nil
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "POSITION\tID\tFIELD\tPATTERN\tACTION")
				for _, r := range rules {
					fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\n", r.Position, r.ID, r.Field, r.Pattern, r.Action)
				}
				return w.Flush()
			})
		}}
	add := &cobra.Command{Use: "add FIELD PATTERN ACTION", Args: args(cobra.ExactArgs(3)),
		Short: "Add a rule: FIELD deviceType, model, os or userAgent; PATTERN exact or with * wildcards; ACTION allow, quarantine or block",
		RunE: func(cmd *cobra.Command, a []string) error {
			if _, _, _, err := device.CheckRule(a[0], a[1], a[2]); err != nil {
				return &usageError{ruleUsage(err)}
			}
			if position < 0 {
				return &usageError{fmt.Errorf("--position %d: want 1 or more (0: last)", position)}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				r, err := ap.DeviceAccess().AddDeviceRule(ctx, cliScope, domain, a[0], a[1], a[2], position, "")
				if err != nil {
					return absent("domain "+domain, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added rule %d at position %d: %s %q -> %s\n", r.ID, r.Position, r.Field, r.Pattern, r.Action)
				return nil
			})
		}}
	for _, sub := range []*cobra.Command{list, add} {
		sub.Flags().StringVar(&domain, "domain", "", "a domain's rules instead of the global ones")
	}
	add.Flags().IntVar(&position, "position", 0, "1-based place in the list (0: last)")
	remove := &cobra.Command{Use: "remove RULE_ID", Short: "Remove a rule by its id (see rules list)", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := strconv.ParseUint(a[0], 10, 64)
			if err != nil {
				return &usageError{fmt.Errorf("rule id %q: want a number (see tessera mobile rules list)", a[0])}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				if err := ap.DeviceAccess().RemoveDeviceRule(ctx, cliScope, id, ""); err != nil {
					return absent(fmt.Sprintf("rule %d", id), err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "removed rule %d\n", id)
				return nil
			})
		}}
	c.AddCommand(list, add, remove)
	return c
}

// ruleUsage is a rule's refusal in the operator's words.
func ruleUsage(err error) error {
	if f, ok := fault.As(err); ok && f.Message != "" {
		return fmt.Errorf("%v. %s", err, f.Message)
	}
	return err
}

// accessText is a device's access state for getDevices.
func accessText(d *store.Device) string {
	s := string(device.AccessOf(d))
	if d.Suspended {
		s += ", suspended"
	}
	return s
}
