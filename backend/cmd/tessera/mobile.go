package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// mobileCmd is the seed's device management, with its exact command names; it goes through
// package admin with the CLI's scope, as the API's device actions do, and so audits the same.
func mobileCmd() *cobra.Command {
	c := &cobra.Command{Use: "mobile", Short: "EAS devices and their SyncStates"}
	c.AddCommand(&cobra.Command{
		Use: "getDevices ACCOUNT", Short: "List an account's EAS devices", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				email, err := mobileAccount(a[0])
				if err != nil {
					return err
				}
				devs, err := ap.Admin().Devices(ctx, cliScope, email)
				if err != nil {
					return deviceError(email, "", err)
				}
				if len(devs) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "%s has no devices\n", email)
					return nil
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "DEVICE ID\tTYPE\tPROTOCOL\tUSER AGENT\tPROVISIONED\tFIRST SYNC\tLAST SYNC\tWIPE\tACCESS")
				for _, d := range devs {
					prov := "no"
					if d.PolicyKey != "" {
						prov = "yes"
					}
					wipe := wipeText(&d)
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.DeviceID, d.DeviceType, d.ProtocolVersion, orDash(d.UserAgent),
						prov, d.FirstSyncAt.UTC().Format("2006-01-02 15:04"), d.LastSyncAt.UTC().Format("2006-01-02 15:04"), wipe, accessText(&d))
				}
				return w.Flush()
			})
		},
	})
	c.AddCommand(&cobra.Command{
		Use: "doRemoveDevice ACCOUNT DEVICE_ID", Short: "Forget a device and its SyncStates (its open Ping ends)",
		Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				email, err := mobileAccount(a[0])
				if err != nil {
					return err
				}
				if err := ap.Admin().RemoveDevice(ctx, cliScope, email, a[1], ""); err != nil {
					return deviceError(email, a[1], err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "removed device %s of %s and its SyncStates\n", a[1], email)
				return nil
			})
		},
	})
	c.AddCommand(&cobra.Command{
		Use: "doResetDevice ACCOUNT DEVICE_ID", Short: "Drop a device's SyncStates; it resyncs from 0",
		Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				email, err := mobileAccount(a[0])
				if err != nil {
					return err
				}
				n, err := ap.Admin().ResetDevice(ctx, cliScope, email, a[1], "")
				if err != nil {
					return deviceError(email, a[1], err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "reset device %s of %s (%d SyncStates dropped)\n", a[1], email, n)
				return nil
			})
		},
	})
	c.AddCommand(&cobra.Command{
		Use: "doResetAccount ACCOUNT", Short: "Reset every device of an account", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				email, err := mobileAccount(a[0])
				if err != nil {
					return err
				}
				n, err := ap.Admin().ResetDevices(ctx, cliScope, email, "")
				if err != nil {
					return deviceError(email, "", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "reset %d device(s) of %s\n", n, email)
				return nil
			})
		},
	})
	c.AddCommand(wipeCmd())
	c.AddCommand(mobileAccessCmds()...)
	return c
}

// mobileAccount is the account argument as the other commands read it; a malformed address
// is refused before anything is looked up.
func mobileAccount(arg string) (string, error) {
	email, _, err := account.NormalizeEmail(arg)
	return email, err
}

// deviceError names what was not found, the device or the account (the administration
// service's not found covers both).
func deviceError(email, deviceID string, err error) error {
	switch {
	case errors.Is(err, device.ErrNoDevice):
		return fmt.Errorf("%s of %s: %w", deviceID, email, device.ErrNoDevice)
	case errors.Is(err, fault.NotFound):
		return fmt.Errorf("account %s: %w", email, err)
	}
	return err
}

// wipeCmd is Carbonio's doWipeDevice with its optional "account_only true|false" pair:
// true removes only this account's data from the device (EAS 16.1 AccountOnlyRemoteWipe),
// false (the default) wipes the whole device.
func wipeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "doWipeDevice ACCOUNT DEVICE_ID [account_only true|false]",
		Short: "Ask a device to wipe itself at its next contact (account_only true: only this account's data, EAS 16.1)",
		Args: args(func(cmd *cobra.Command, a []string) error {
			if len(a) != 2 && len(a) != 4 {
				return fmt.Errorf("accepts ACCOUNT DEVICE_ID and optionally account_only true|false, received %d arg(s)", len(a))
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, a []string) error {
			email, err := mobileAccount(a[0])
			if err != nil {
				return &usageError{fmt.Errorf("account %q: %w", a[0], err)}
			}
			scope := store.WipeScopeDevice
			if len(a) == 4 {
				if a[2] != "account_only" {
					return &usageError{fmt.Errorf("unknown parameter %q (expected account_only)", a[2])}
				}
				only, err := strconv.ParseBool(a[3])
				if err != nil || (a[3] != "true" && a[3] != "false") {
					return &usageError{fmt.Errorf("account_only %q: expected true or false", a[3])}
				}
				if only {
					scope = store.WipeScopeAccount
				}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				if err := ap.Admin().RequestWipe(ctx, cliScope, email, a[1], scope, ""); err != nil {
					if errors.Is(err, device.ErrAccountWipeUnsupported) {
						return fmt.Errorf("device %s of %s: %w", a[1], email, err)
					}
					return deviceError(email, a[1], err)
				}
				what := "wipe of the whole device"
				if scope == store.WipeScopeAccount {
					what = "account-only wipe (only " + email + "'s data)"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "requested %s %s; it is delivered at the device's next contact\n", what, a[1])
				return nil
			})
		},
	}
}

// wipeText is a device's wipe as getDevices shows it: state, scope and the time of the state.
func wipeText(d *store.Device) string {
	scope := device.WipeScopeOf(d)
	switch {
	case d.WipeState == store.WipeRequested && d.WipeRequestedAt != nil:
		return "requested(" + scope + ") " + d.WipeRequestedAt.UTC().Format("2006-01-02 15:04")
	case d.WipeState == store.WipeDone && d.WipeDoneAt != nil:
		return "wiped(" + scope + ") " + d.WipeDoneAt.UTC().Format("2006-01-02 15:04")
	case d.WipeState != store.WipeNone:
		return d.WipeState + "(" + scope + ")"
	}
	return "-"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
