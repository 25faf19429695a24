package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

func mailboxCmd() *cobra.Command {
	c := &cobra.Command{Use: "mailbox", Short: "Mailbox operations"}
	c.AddCommand(&cobra.Command{
		Use:   "deliver EMAIL < message.eml",
		Short: "Deliver an RFC 5322 message from standard input to the account's Inbox",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			raw, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), mailbox.MaxMessage+1))
			if err != nil {
				return err
			}
			if len(raw) == 0 {
				return fmt.Errorf("no message on standard input")
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return err
				}
				it, err := ap.Mailbox.Deliver(ctx, acct.ID, raw)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "delivered to %s: item %d, %q\n", acct.Email, it.ID, it.Subject)
				return nil
			})
		},
	})
	c.AddCommand(mailboxListCmd(), mailboxFoldersCmd())
	return c
}
