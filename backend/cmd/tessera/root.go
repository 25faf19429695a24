package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/reqid"
)

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "tessera",
		Short:         "Tessera: credentials service and Exchange ActiveSync server for a mail platform",
		Long:          "Tessera serves the settings SPA, the JSON API and EAS, and is the operator's CLI.\nConfiguration comes from TESSERA_* environment variables (see README).",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(serveCmd(), migrateCmd(), healthcheckCmd(), domainCmd(), cosCmd(), accountCmd(), policyCmd(), mailboxCmd(), mobileCmd(), configCmd(), credentialCmd(), auditCmd())
	rejectUnknown(root)
	return root
}

// args wraps cobra's positional-argument checks so that a wrong count is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return &usageError{fmt.Errorf("%s: %w (usage: %s)", cmd.CommandPath(), err, cmd.UseLine())}
		}
		return nil
	}
}

func loadConfig() (config.Config, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return cfg, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// newLogger writes JSON (production) or text (make run), with the request id on the lines a
// request writes.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if cfg.LogFormat == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(reqid.Handler{Handler: h})
}

// withApp opens the configured database (migrating it) for one CLI command.
func withApp(fn func(ctx context.Context, a *app.App) error) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	a, err := app.OpenTool(cfg, newLogger(cfg, os.Stderr).With("via", "cli"))
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(context.Background(), a)
}
