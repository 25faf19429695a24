package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/store"
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

// trustedView is a remembered browser (it skips the second factor until ExpiresAt).
type trustedView struct {
	ID         uint64    `json:"id"`
	Browser    string    `json:"browser"`
	UserAgent  string    `json:"userAgent"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"createdAt"`
	LastUsedAt time.Time `json:"lastUsedAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// appView is a mobile-app session: an enabled QR-code token of the mobile app.
type appView struct {
	ID         uint64     `json:"id"`
	Label      string     `json:"label"`
	IP         string     `json:"ip"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
}

// sessionsView is `account sessions --json`: everywhere the account is signed in.
type sessionsView struct {
	WebSessions     []webSessionView `json:"webSessions"`
	TrustedBrowsers []trustedView    `json:"trustedBrowsers"`
	MobileApps      []appView        `json:"mobileApps"`
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// accountSessionsCmd lists where an account is signed in (web sessions, remembered browsers,
// mobile apps), or ends one of them.
func accountSessionsCmd() *cobra.Command {
	var asJSON bool
	var end, forget, endApp uint64
	cmd := &cobra.Command{
		Use:   "sessions EMAIL [--json] [--end ID | --forget ID | --end-app ID]",
		Short: "List an account's web sessions, trusted browsers and mobile apps, or end one",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			email := strings.ToLower(strings.TrimSpace(a[0]))
			w := cmd.OutOrStdout()
			return withApp(func(ctx context.Context, ap *app.App) error {
				switch {
				case cmd.Flags().Changed("end"):
					if err := ap.Admin().EndWebSession(ctx, cliScope, email, end, ""); err != nil {
						return absent(fmt.Sprintf("session %d of %s", end, email), err)
					}
					_, err := fmt.Fprintf(w, "ended session %d of %s\n", end, email)
					return err
				case cmd.Flags().Changed("forget"):
					if err := ap.Admin().ForgetTrustedBrowser(ctx, cliScope, email, forget, ""); err != nil {
						return absent(fmt.Sprintf("trusted browser %d of %s", forget, email), err)
					}
					_, err := fmt.Fprintf(w, "forgot trusted browser %d of %s: its next login asks for the second factor\n", forget, email)
					return err
				case cmd.Flags().Changed("end-app"):
					return endMobileApp(ctx, ap, w, email, endApp)
				}
				v, err := sessionsOf(ctx, ap, email)
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(w).Encode(v)
				}
				return printSessions(w, email, v)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().Uint64Var(&end, "end", 0, "end the web session with this id (its browser is logged out at its next request)")
	cmd.Flags().Uint64Var(&forget, "forget", 0, "forget the trusted browser with this id (its next login asks for the second factor)")
	cmd.Flags().Uint64Var(&endApp, "end-app", 0, "end the mobile-app session with this id (its QR-code token is deleted)")
	cmd.MarkFlagsMutuallyExclusive("end", "forget", "end-app")
	return cmd
}

func sessionsOf(ctx context.Context, ap *app.App, email string) (*sessionsView, error) {
	ws, err := ap.Admin().WebSessions(ctx, cliScope, email)
	if err != nil {
		return nil, accountNotFound(email, err)
	}
	tbs, err := ap.Admin().TrustedBrowsers(ctx, cliScope, email)
	if err != nil {
		return nil, err
	}
	_, creds, err := ap.Admin().Credentials(ctx, cliScope, email)
	if err != nil {
		return nil, err
	}
	v := &sessionsView{WebSessions: []webSessionView{}, TrustedBrowsers: []trustedView{}, MobileApps: []appView{}}
	for _, s := range ws {
		v.WebSessions = append(v.WebSessions, webSessionView{ID: s.ID, Browser: s.Browser, UserAgent: s.UserAgent, IP: s.IP, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt})
	}
	for _, b := range tbs {
		v.TrustedBrowsers = append(v.TrustedBrowsers, trustedView{ID: b.ID, Browser: b.Browser, UserAgent: b.UserAgent, IP: b.IP,
			CreatedAt: b.CreatedAt, LastUsedAt: b.LastUsedAt, ExpiresAt: b.ExpiresAt})
	}
	for _, c := range creds {
		if c.Kind == store.KindMobileApp && c.Status == store.CredEnabled {
			v.MobileApps = append(v.MobileApps, appView{ID: c.ID, Label: c.Label, IP: c.LastUsedIP, CreatedAt: c.CreatedAt, LastUsedAt: c.LastUsedAt})
		}
	}
	return v, nil
}

// printSessions prints one line per web session (as before), then one per trusted browser
// ("trusted ID ...") and mobile app ("app ID ...").
func printSessions(w io.Writer, email string, v *sessionsView) error {
	var b strings.Builder
	if len(v.WebSessions) == 0 {
		fmt.Fprintf(&b, "%s is not signed in on the web\n", email)
	}
	for _, s := range v.WebSessions {
		fmt.Fprintf(&b, "%d\t%s\t%s\tstarted %s\tlast seen %s\n", s.ID, s.Browser, s.IP, rfc(s.CreatedAt), rfc(s.LastSeenAt))
	}
	for _, t := range v.TrustedBrowsers {
		fmt.Fprintf(&b, "trusted %d\t%s\t%s\tremembered %s\tlast used %s\tuntil %s\n", t.ID, t.Browser, t.IP, rfc(t.CreatedAt), rfc(t.LastUsedAt), rfc(t.ExpiresAt))
	}
	for _, a := range v.MobileApps {
		used := "never used"
		if a.LastUsedAt != nil {
			used = "last used " + rfc(*a.LastUsedAt)
		}
		fmt.Fprintf(&b, "app %d\t%s\t%s\tcreated %s\t%s\n", a.ID, a.Label, a.IP, rfc(a.CreatedAt), used)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// endMobileApp deletes the QR-code token of a mobile app of the account (only that kind).
func endMobileApp(ctx context.Context, ap *app.App, w io.Writer, email string, id uint64) error {
	v, err := sessionsOf(ctx, ap, email)
	if err != nil {
		return err
	}
	for _, a := range v.MobileApps {
		if a.ID == id {
			if err := ap.Admin().DeleteCredential(ctx, cliScope, id, ""); err != nil {
				return err
			}
			_, err := fmt.Fprintf(w, "ended mobile app %d (%s) of %s\n", id, a.Label, email)
			return err
		}
	}
	return fmt.Errorf("mobile app %d of %s does not exist", id, email)
}
