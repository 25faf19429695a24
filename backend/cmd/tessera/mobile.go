package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/audit"
)

// mobileCmd is the seed's device management, with its exact command names.
func mobileCmd() *cobra.Command {
	c := &cobra.Command{Use: "mobile", Short: "EAS devices and their SyncStates"}
	c.AddCommand(&cobra.Command{
		Use: "getDevices ACCOUNT", Short: "List an account's EAS devices", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return err
				}
				devs, err := ap.Devices.List(ctx, acct.ID)
				if err != nil {
					return err
				}
				if len(devs) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "%s has no devices\n", acct.Email)
					return nil
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "DEVICE ID\tTYPE\tPROTOCOL\tUSER AGENT\tPROVISIONED\tFIRST SYNC\tLAST SYNC\tWIPE")
				for _, d := range devs {
					prov := "no"
					if d.PolicyKey != "" {
						prov = "yes"
					}
					wipe := d.WipeState
					if wipe == "" {
						wipe = "-"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.DeviceID, d.DeviceType, d.ProtocolVersion, orDash(d.UserAgent),
						prov, d.FirstSyncAt.UTC().Format("2006-01-02 15:04"), d.LastSyncAt.UTC().Format("2006-01-02 15:04"), wipe)
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
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return err
				}
				if err := ap.Devices.Remove(ctx, acct.ID, a[1]); err != nil {
					return fmt.Errorf("%s of %s: %w", a[1], acct.Email, err)
				}
				ap.Accounts.Audit(ctx, audit.ActorCLI, "device_removed", acct.Email+" "+a[1])
				fmt.Fprintf(cmd.OutOrStdout(), "removed device %s of %s and its SyncStates\n", a[1], acct.Email)
				return nil
			})
		},
	})
	c.AddCommand(&cobra.Command{
		Use: "doResetDevice ACCOUNT DEVICE_ID", Short: "Drop a device's SyncStates; it resyncs from 0",
		Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return err
				}
				n, err := ap.Devices.Reset(ctx, acct.ID, a[1])
				if err != nil {
					return fmt.Errorf("%s of %s: %w", a[1], acct.Email, err)
				}
				ap.Accounts.Audit(ctx, audit.ActorCLI, "device_reset", acct.Email+" "+a[1])
				fmt.Fprintf(cmd.OutOrStdout(), "reset device %s of %s (%d SyncStates dropped)\n", a[1], acct.Email, n)
				return nil
			})
		},
	})
	c.AddCommand(&cobra.Command{
		Use: "doResetAccount ACCOUNT", Short: "Reset every device of an account", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return err
				}
				n, err := ap.Devices.ResetAccount(ctx, acct.ID)
				if err != nil {
					return err
				}
				ap.Accounts.Audit(ctx, audit.ActorCLI, "account_devices_reset", acct.Email)
				fmt.Fprintf(cmd.OutOrStdout(), "reset %d device(s) of %s\n", n, acct.Email)
				return nil
			})
		},
	})
	return c
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
