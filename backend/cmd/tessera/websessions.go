package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
)

// webSessionView is what `account sessions --json` prints of one web session.
type webSessionView struct {
	ID         uint64    `json:"id"`
	Browser    string    `json:"browser"`
	UserAgent  string    `json:"userAgent"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
}

// accountSessionsCmd lists where an account is signed in on the web, or ends one session.
func accountSessionsCmd() *cobra.Command {
	var asJSON bool
	var end uint64
	cmd := &cobra.Command{
		Use: "sessions EMAIL [--json] [--end ID]", Short: "List an account's web sessions, or end one", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			email := strings.ToLower(strings.TrimSpace(a[0]))
			w := cmd.OutOrStdout()
			return withApp(func(ctx context.Context, ap *app.App) error {
				if cmd.Flags().Changed("end") {
					if err := ap.Admin().EndWebSession(ctx, cliScope, email, end, ""); err != nil {
						return absent(fmt.Sprintf("session %d of %s", end, email), err)
					}
					_, err := fmt.Fprintf(w, "ended session %d of %s\n", end, email)
					return err
				}
				ws, err := ap.Admin().WebSessions(ctx, cliScope, email)
				if err != nil {
					return accountNotFound(email, err)
				}
				views := make([]webSessionView, len(ws))
				for i, s := range ws {
					views[i] = webSessionView{ID: s.ID, Browser: s.Browser, UserAgent: s.UserAgent, IP: s.IP, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt}
				}
				if asJSON {
					return json.NewEncoder(w).Encode(views)
				}
				if len(views) == 0 {
					_, err := fmt.Fprintf(w, "%s is not signed in on the web\n", email)
					return err
				}
				for _, v := range views {
					if _, err := fmt.Fprintf(w, "%d\t%s\t%s\tstarted %s\tlast seen %s\n", v.ID, v.Browser, v.IP,
						v.CreatedAt.UTC().Format(time.RFC3339), v.LastSeenAt.UTC().Format(time.RFC3339)); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().Uint64Var(&end, "end", 0, "end the session with this id (its browser is logged out at its next request)")
	return cmd
}
