// Command easload measures a running Tessera server: held Pings (memory), wake latency after a
// delivery (also across two instances), the initial sync of a large Inbox, EAS Sync throughput,
// authenticated EAS requests per second, API requests per second and logins per second; and on
// the IMAP door held IDLE sessions (memory, wake latency), UID FETCH of a large folder's flags
// and APPEND. It seeds a database directly, then drives separately started `tessera serve`
// processes over HTTP and IMAP. See docs/benchmarks.md and docs/performance.md.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/tessera-mail/tessera/backend/internal/config"
)

func main() {
	root := &cobra.Command{Use: "easload", Short: "Load generator for Tessera (EAS, API, logins)", SilenceUsage: true}
	var accounts, messages, syncAccounts, syncMessages int
	seedCmd := &cobra.Command{
		Use: "seed", Short: "Create accounts (user0..N-1@load.test) with devices in the database of TESSERA_* and mail",
		RunE: func(*cobra.Command, []string) error {
			cfg, err := config.Load(os.Getenv)
			if err != nil {
				return err
			}
			return seed(cfg, accounts, messages, syncAccounts, syncMessages)
		},
	}
	seedCmd.Flags().IntVar(&accounts, "accounts", 10000, "accounts, each with one device")
	seedCmd.Flags().IntVar(&messages, "messages", 10000, "messages in user0's Inbox")
	seedCmd.Flags().IntVar(&syncAccounts, "sync-accounts", 0, "accounts user1..userN that get --sync-messages each (for sync)")
	seedCmd.Flags().IntVar(&syncMessages, "sync-messages", 0, "messages in each of those Inboxes")

	// urls is a comma-separated list: the load is spread over the instances.
	var urls string
	addURL := func(fs *pflag.FlagSet) {
		fs.StringVar(&urls, "url", "http://127.0.0.1:8080", "server, or comma-separated servers to spread the load over")
	}
	splitURLs := func() []string { return strings.Split(urls, ",") }
	var rec recordOptions
	addRecord := func(fs *pflag.FlagSet) {
		fs.StringVar(&rec.File, "record", "", "append the figure to this file (for easload report)")
		fs.StringVar(&rec.Label, "label", "", "configuration the figure belongs to, e.g. \"SQLite, 1 instance\"")
		fs.StringVar(&rec.Note, "note", "", "added to the measurement's name, e.g. how the server was configured for it")
	}

	var o pingOptions
	var pids []int
	pingCmd := &cobra.Command{
		Use: "pings", Short: "Hold one Ping per account, deliver mail to random accounts, report memory and wake latency",
		RunE: func(*cobra.Command, []string) error {
			o.URLs, o.ServerPIDs, o.Record = splitURLs(), pids, rec
			return runPings(o)
		},
	}
	addURL(pingCmd.Flags())
	addRecord(pingCmd.Flags())
	pingCmd.Flags().IntVar(&o.Accounts, "accounts", 10000, "concurrent Pings (one per seeded account, spread over the servers)")
	pingCmd.Flags().IntVar(&o.First, "first", 0, "first account: user<first>..user<first+accounts-1> (a second process holds others)")
	pingCmd.Flags().DurationVar(&o.Hold, "hold", 0, "keep the Pings held this long after the deliveries, or until interrupted")
	pingCmd.Flags().IntVar(&o.Setup, "setup", 0, "phones doing their FolderSync and Sync 0 at once (0: all at once)")
	pingCmd.Flags().IntVar(&o.Heartbeat, "heartbeat", 900, "Ping heartbeat in seconds")
	pingCmd.Flags().IntVar(&o.Deliveries, "deliveries", 300, "deliveries to random accounts")
	pingCmd.Flags().IntSliceVar(&pids, "server-pid", nil, "pid of each server (in --url order), to read its memory")
	pingCmd.Flags().BoolVar(&o.Cross, "cross", false, "deliver through another instance than the one holding the Ping")
	pingCmd.Flags().StringSliceVar(&o.LMTP, "lmtp", nil, "deliver over LMTP to these host:port (one per --url) instead of the admin API")
	pingCmd.Flags().StringVar(&o.Admin, "admin", "admin@example.com", "admin that delivers through the API")
	pingCmd.Flags().StringVar(&o.AdminPass, "admin-password", os.Getenv("TESSERA_BOOTSTRAP_ADMIN_PASSWORD"), "its password")

	initialCmd := &cobra.Command{
		Use: "initial-sync", Short: "Sync user0's whole Inbox from key 0 with windows of 512 and time it",
		RunE: func(*cobra.Command, []string) error { return runInitialSync(splitURLs()[0], rec) },
	}
	addURL(initialCmd.Flags())
	addRecord(initialCmd.Flags())

	// The closed-loop measurements share their flags; each command has its own options.
	loadCmd := func(use, short string, concurrency int, run func(loadOptions) error) *cobra.Command {
		lo := &loadOptions{}
		c := &cobra.Command{Use: use, Short: short, RunE: func(*cobra.Command, []string) error {
			lo.URLs, lo.Record = splitURLs(), rec
			return run(*lo)
		}}
		addURL(c.Flags())
		addRecord(c.Flags())
		c.Flags().IntVar(&lo.Accounts, "accounts", 100, "seeded accounts used, user1..userN")
		c.Flags().IntVar(&lo.Concurrency, "concurrency", concurrency, "workers, each sending its next request when the last is answered")
		c.Flags().DurationVar(&lo.Duration, "duration", 10*time.Second, "how long to measure (set-up not included)")
		return c
	}
	var window int
	syncCmd := loadCmd("sync", "EAS Sync throughput: devices sync their Inbox round after round (seed with --sync-accounts/--sync-messages)", 16,
		func(lo loadOptions) error { return runSync(lo, window) })
	syncCmd.Flags().IntVar(&window, "window", 50, "Sync WindowSize")
	var easCmd string
	easRPS := loadCmd("eas-rps", "Authenticated EAS requests per second (FolderSync with the current key)", 16,
		func(lo loadOptions) error { return runEASRate(lo, easCmd) })
	easRPS.Flags().StringVar(&easCmd, "cmd", "foldersync", "foldersync, or options (Basic auth alone)")
	apiRPS := loadCmd("api-rps", "GET /api/v1/credentials per second with web sessions, as the SPA sends it", 16, runAPIRate)
	logins := loadCmd("logins", "Web logins per second (argon2id-bound)", 4, runLogins)

	// The IMAP door: --imap is the door's address per instance, in the order of --url.
	var imapAddrs string
	addIMAP := func(fs *pflag.FlagSet) {
		fs.StringVar(&imapAddrs, "imap", "127.0.0.1:1143", "IMAP door (plaintext, loopback), or comma-separated, one per --url")
	}
	var idleO idleOptions
	idleCmd := &cobra.Command{
		Use: "idle", Short: "Hold one IMAP IDLE session per account, deliver mail to random accounts, report memory and wake latency",
		RunE: func(*cobra.Command, []string) error {
			idleO.Addrs, idleO.URLs, idleO.ServerPIDs, idleO.Record = strings.Split(imapAddrs, ","), splitURLs(), pids, rec
			return runIdle(idleO)
		},
	}
	addURL(idleCmd.Flags())
	addIMAP(idleCmd.Flags())
	addRecord(idleCmd.Flags())
	idleCmd.Flags().IntVarP(&idleO.Accounts, "accounts", "n", 10000, "IDLE sessions (one per seeded account, spread over the servers)")
	idleCmd.Flags().IntVar(&idleO.Deliveries, "deliveries", 300, "deliveries to random accounts")
	idleCmd.Flags().IntVar(&idleO.First, "first", 0, "first account: user<first>..user<first+accounts-1> (a second process holds others)")
	idleCmd.Flags().DurationVar(&idleO.Hold, "hold", 0, "keep the sessions held this long after the deliveries, or until interrupted")
	idleCmd.Flags().IntVar(&idleO.Setup, "setup", 64, "sessions being set up at once")
	idleCmd.Flags().DurationVar(&idleO.Quiet, "quiet", 0, "read each server's CPU time this long with all held, before the deliveries (0: not)")
	idleCmd.Flags().IntVar(&idleO.DBPID, "db-pid", 0, "the database server's pid: its CPU time is read over the same window")
	idleCmd.Flags().IntSliceVar(&pids, "server-pid", nil, "pid of each server (in --url order), to read its memory")
	idleCmd.Flags().BoolVar(&idleO.Cross, "cross", false, "deliver through another instance than the one holding the session")
	idleCmd.Flags().StringSliceVar(&idleO.LMTP, "lmtp", nil, "deliver over LMTP to these host:port (one per --url) instead of the admin API")
	idleCmd.Flags().StringVar(&idleO.Admin, "admin", "admin@example.com", "admin that delivers through the API")
	idleCmd.Flags().StringVar(&idleO.AdminPass, "admin-password", os.Getenv("TESSERA_BOOTSTRAP_ADMIN_PASSWORD"), "its password")

	var imapDuration time.Duration
	var appendAccount int
	fetchCmd := &cobra.Command{
		Use: "fetch-flags", Short: "UID FETCH 1:* (UID FLAGS) of user0's Inbox, one call after the other over one IMAP connection",
		RunE: func(*cobra.Command, []string) error {
			return runFetchFlags(strings.Split(imapAddrs, ",")[0], imapDuration, rec)
		},
	}
	appendCmd := &cobra.Command{
		Use: "append", Short: "IMAP APPEND of a 2 KB message to Drafts, one after the other over one connection",
		RunE: func(*cobra.Command, []string) error {
			return runAppend(strings.Split(imapAddrs, ",")[0], appendAccount, imapDuration, rec)
		},
	}
	appendCmd.Flags().IntVar(&appendAccount, "account", 1, "the seeded account that appends (user<N>)")
	for _, c := range []*cobra.Command{fetchCmd, appendCmd} {
		addIMAP(c.Flags())
		addRecord(c.Flags())
		c.Flags().DurationVar(&imapDuration, "duration", 10*time.Second, "how long to measure (login not included)")
	}

	reportCmd := &cobra.Command{
		Use: "report <records>", Short: "Print the records of a run as a markdown table", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			return writeReport(f, os.Stdout)
		},
	}
	var so searchOptions
	searchCmd := &cobra.Command{
		Use: "search", Short: "Fill search@load.test's Inbox and time EAS and IMAP free-text search without and with the search index (in-process)",
		RunE: func(*cobra.Command, []string) error {
			cfg, err := config.Load(os.Getenv)
			if err != nil {
				return err
			}
			so.Record = rec
			return runSearch(cfg, so)
		},
	}
	searchCmd.Flags().IntVar(&so.Messages, "messages", 100000, "messages in the Inbox (added up to this many)")
	searchCmd.Flags().IntVar(&so.BeforeReps, "before-reps", 2, "rounds of the queries without the index")
	searchCmd.Flags().IntVar(&so.AfterReps, "after-reps", 10, "rounds of the queries with the index")
	searchCmd.Flags().IntVar(&so.IMAPQueries, "imap-before-queries", 4, "queries IMAP runs without the index (each reads every message)")
	searchCmd.Flags().BoolVar(&so.FillOnly, "fill-only", false, "fill the Inbox and stop (a database to measure later)")
	addRecord(searchCmd.Flags())

	root.AddCommand(searchCmd, seedCmd, pingCmd, idleCmd, fetchCmd, appendCmd, initialCmd, syncCmd, easRPS, apiRPS, logins, reportCmd)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "easload:", err)
		os.Exit(1)
	}
}
