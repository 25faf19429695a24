package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/audit"
)

// configCmd reads and writes the global settings kept in the database (the TESSERA_*
// variables are the other, per-process kind of configuration).
func configCmd() *cobra.Command {
	c := &cobra.Command{Use: "config", Short: "Global settings kept in the database"}
	var asJSON bool
	get := &cobra.Command{
		Use: "get [KEY]", Short: "Show one global setting, or all of them", Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				v, err := admin.Settings(ctx, ap.Store)
				if err != nil {
					return err
				}
				if len(a) == 1 {
					val, ok := v[a[0]]
					if !ok {
						return &usageError{fmt.Errorf("unknown setting %q (tessera config get lists them)", a[0])}
					}
					v = map[string]any{a[0]: val}
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(v)
				}
				keys := make([]string, 0, len(v))
				for k := range v {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for _, k := range keys {
					if list, ok := v[k].([]string); ok { // as `config set` takes it
						v[k] = strings.Join(list, ",")
					}
					fmt.Fprintf(w, "%s\t%v\n", k, v[k])
				}
				return w.Flush()
			})
		},
	}
	get.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	set := &cobra.Command{
		Use: "set KEY VALUE", Short: "Change a global setting", Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				sc := admin.Scope{Global: true, Actor: audit.ActorCLI}
				if err := admin.SetSettings(ctx, ap.Store, ap.Audit, sc, map[string]string{a[0]: a[1]}, ""); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s = %s\n", a[0], a[1])
				return nil
			})
		},
	}
	keys := &cobra.Command{
		Use: "keys", Short: "List the settings and what they mean", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, k := range admin.SettingKeys() {
				fmt.Fprintf(w, "%s\t%s\n", k[0], k[1])
			}
			return w.Flush()
		},
	}
	c.AddCommand(get, set, keys)
	return c
}
