// Command easload measures the EAS server: held Pings (memory), wake latency after a delivery,
// and the initial sync of a large Inbox. It seeds a database directly, then drives a
// separately started `tessera serve` over HTTP. See docs/benchmarks.md.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/config"
)

func main() {
	root := &cobra.Command{Use: "easload", Short: "Load generator for Tessera's EAS endpoint", SilenceUsage: true}
	var accounts, messages int
	seedCmd := &cobra.Command{
		Use: "seed", Short: "Create accounts (user0..N-1@load.test) with devices in the database of TESSERA_* and mail for user0",
		RunE: func(*cobra.Command, []string) error {
			cfg, err := config.Load(os.Getenv)
			if err != nil {
				return err
			}
			return seed(cfg, accounts, messages)
		},
	}
	seedCmd.Flags().IntVar(&accounts, "accounts", 10000, "accounts, each with one device")
	seedCmd.Flags().IntVar(&messages, "messages", 10000, "messages in user0's Inbox")

	var o pingOptions
	pingCmd := &cobra.Command{
		Use: "pings", Short: "Hold one Ping per account, deliver mail to random accounts, report memory and wake latency",
		RunE: func(*cobra.Command, []string) error { return runPings(o) },
	}
	pingCmd.Flags().StringVar(&o.URL, "url", "http://127.0.0.1:8080", "server")
	pingCmd.Flags().IntVar(&o.Accounts, "accounts", 10000, "concurrent Pings (one per seeded account)")
	pingCmd.Flags().IntVar(&o.Heartbeat, "heartbeat", 900, "Ping heartbeat in seconds")
	pingCmd.Flags().IntVar(&o.Deliveries, "deliveries", 300, "deliveries to random accounts")
	pingCmd.Flags().IntVar(&o.ServerPID, "server-pid", 0, "pid of the server, to read its memory")
	pingCmd.Flags().StringVar(&o.Admin, "admin", "admin@example.com", "admin that delivers through the API")
	pingCmd.Flags().StringVar(&o.AdminPass, "admin-password", os.Getenv("TESSERA_BOOTSTRAP_ADMIN_PASSWORD"), "its password")

	var url string
	syncCmd := &cobra.Command{
		Use: "initial-sync", Short: "Sync user0's whole Inbox from key 0 with windows of 512 and time it",
		RunE: func(*cobra.Command, []string) error { return runInitialSync(url) },
	}
	syncCmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8080", "server")
	root.AddCommand(seedCmd, pingCmd, syncCmd)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "easload:", err)
		os.Exit(1)
	}
}
