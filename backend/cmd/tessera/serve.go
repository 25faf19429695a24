package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
)

func serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the server (migrates the database and creates the first admin if needed)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig()
			if err != nil {
				return err
			}
			log := newLogger(cfg, os.Stderr)
			a, err := app.Open(cfg, log)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			email, generated, created, err := a.Bootstrap(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !created {
				fmt.Fprintf(out, "Admin login: admin@%s (its password was printed on the first start; reset it with: tessera account set-password admin@%s)\n", cfg.BootstrapDomain, cfg.BootstrapDomain)
			}
			if created {
				fmt.Fprintf(out, "First start: created the global admin %s\n", email)
				if generated != "" {
					fmt.Fprintf(out, "  password: %s\n  (shown only now; log in and change it)\n", generated)
				} else {
					fmt.Fprintln(out, "  password: the one in TESSERA_BOOTSTRAP_ADMIN_PASSWORD")
				}
				fmt.Fprintln(out, "  Administration needs two-factor authentication (adminRequireTwoFactor): set up OTP under")
				fmt.Fprintln(out, "  Settings › OTP Authentication, turn 2FA on and log in again, or run:")
				fmt.Fprintln(out, "  tessera config set adminRequireTwoFactor false")
			}
			log.Info("starting", "listen", cfg.Listen, "db", cfg.DBDriver, "public_url", cfg.PublicURL)
			// Said by serve only: every CLI command builds the app, and would repeat it.
			if !a.Passkeys.Available() {
				log.Warn("passkeys are off: TESSERA_PUBLIC_URL names an IP address, which browsers refuse as a relying-party id", "public_url", cfg.PublicURL)
			}
			return a.Serve(ctx, func(addr string) {
				fmt.Fprintf(out, "Tessera is listening on http://%s (public URL %s)\n", addr, cfg.PublicURL)
				printMailDoors(out, a, cfg.PublicURL)
			})
		},
	}
}

func migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date and exit",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(func(ctx context.Context, a *app.App) error {
				ids, err := a.Store.AppliedMigrations(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "database is at migration %s (%d applied)\n", ids[len(ids)-1], len(ids))
				return nil
			})
		},
	}
}
