package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
)

// domainDNSCmd is `tessera domain dns DOMAIN`: the records to publish, as zone file lines
// the operator can paste (or JSON).
func domainDNSCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use: "dns DOMAIN [--json]", Short: "List the DNS records that let clients set themselves up from an address", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			name := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(a[0])), ".")
			if !config.ValidDomain(name) {
				return &usageError{fmt.Errorf("not a domain name: %q", a[0])}
			}
			return withApp(func(ctx context.Context, ap *app.App) error {
				rs, err := ap.DomainDNS(ctx, cliScope, name)
				if err != nil {
					return notFound("domain", name, err)
				}
				w := cmd.OutOrStdout()
				if asJSON {
					return json.NewEncoder(w).Encode(map[string]any{"domain": name, "records": rs})
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				for _, r := range rs {
					fmt.Fprintf(tw, "%s\tIN\t%s\t%s\t; %s\n", r.Name, r.Type, r.Value, r.Purpose)
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
