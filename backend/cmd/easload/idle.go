package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

type idleOptions struct {
	Addrs    []string // IMAP doors; session i goes to Addrs[i%len]
	URLs     []string // HTTP of the same instances, in the same order, for the deliveries
	Accounts int      // one IDLE session per seeded account user<First>..user<First+N-1>
	// First is the first account: two easload processes hold more sessions than one process's
	// open-file limit allows, each its own accounts.
	First int
	// Hold keeps the sessions held this long after the deliveries (or until SIGINT/SIGTERM),
	// for a second easload process.
	Hold       time.Duration
	Deliveries int
	ServerPIDs []int
	Admin      string
	AdminPass  string
	Cross      bool     // deliver through another instance than the one holding the session
	LMTP       []string // deliver over LMTP to these (one per URL), as the MTA does, not the admin API
	Setup      int      // sessions being set up at once
	// Quiet: with all sessions held and before any delivery, how long each server's CPU time is
	// read while nothing happens (0: not measured). A held IDLE looks again on its own every ten
	// minutes (imap.Options.IdleRecheck); the window shows what holding sessions costs meanwhile.
	Quiet  time.Duration
	DBPID  int // the database server's pid, whose CPU is read over the same window (0: none)
	Record recordOptions
}

// runIdle holds one IMAP IDLE session per account (LOGIN with the application passcode, SELECT
// INBOX, IDLE), reads each server's RSS before and with all held, then delivers mail to random
// accounts through the admin API (or over LMTP) and times each delivery until "* N EXISTS"
// reaches the account's idling client.
func runIdle(o idleOptions) error {
	n := len(o.Addrs)
	if len(o.URLs) != n {
		return fmt.Errorf("--imap and --url: one of each per instance")
	}
	if o.Cross && n < 2 {
		return fmt.Errorf("--cross needs two instances")
	}
	if len(o.ServerPIDs) > 0 && len(o.ServerPIDs) != n {
		return fmt.Errorf("--server-pid: one per instance")
	}
	rss0 := make([]int, len(o.ServerPIDs))
	for k, pid := range o.ServerPIDs {
		rss0[k] = rssKB(pid)
	}
	woke := make([]chan time.Time, o.Accounts)
	for i := range woke {
		woke[i] = make(chan time.Time, 4)
	}
	conns := make([]*imapConn, o.Accounts)
	defer func() { // ending runIdle hangs up every session (a test's server must close)
		for _, c := range conns {
			if c != nil {
				c.c.Close()
			}
		}
	}()
	var held, failed atomic.Int64
	var firstErr atomic.Value
	sem := make(chan struct{}, max(o.Setup, 1))
	start := time.Now()
	for i := 0; i < o.Accounts; i++ {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			c, err := holdIdle(o.Addrs[i%n], o.First+i)
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Errorf("%s: %w", user(o.First+i), err))
				return
			}
			conns[i] = c
			held.Add(1)
			go readIdle(c, woke[i])
		}()
	}
	for range cap(sem) { // every set-up has ended
		sem <- struct{}{}
	}
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("%d of %d IDLE sessions failed, first: %v", f, o.Accounts, firstErr.Load())
	}
	time.Sleep(3 * time.Second) // let the servers settle
	setup := time.Since(start)
	perInstance := make([]int, n)
	for i := 0; i < o.Accounts; i++ {
		perInstance[i%n]++
	}
	heldFig := thousands(float64(held.Load()))
	if n > 1 {
		parts := make([]string, n)
		for k, c := range perInstance {
			parts[k] = thousands(float64(c))
		}
		heldFig += " (" + strings.Join(parts, " + ") + ")"
	}
	if err := o.Record.add("held IMAP IDLE sessions (set-up time)", fmt.Sprintf("%s in %.0f s", heldFig, setup.Seconds())); err != nil {
		return err
	}
	if len(o.ServerPIDs) > 0 {
		var idle, rss, per []string
		for k, pid := range o.ServerPIDs {
			fmt.Printf("server %d with %d IDLE sessions held: %s\n", k+1, perInstance[k], memory(pid))
			r := rssKB(pid)
			idle = append(idle, fmt.Sprintf("%.0f MB", float64(rss0[k])/1024))
			rss = append(rss, fmt.Sprintf("%.0f MB", float64(r)/1024))
			per = append(per, fmt.Sprintf("%.0f KB", float64(r-rss0[k])/float64(max(perInstance[k], 1))))
		}
		for _, f := range [][2]string{{"server RSS before the IDLE sessions (per instance)", strings.Join(idle, ", ")},
			{"server RSS with the IDLE sessions held (per instance)", strings.Join(rss, ", ")},
			{"memory per IDLE session (RSS growth / sessions)", strings.Join(per, ", ")}} {
			if err := o.Record.add(f[0], f[1]); err != nil {
				return err
			}
		}
	}
	if o.Quiet > 0 && len(o.ServerPIDs) > 0 {
		pids := o.ServerPIDs
		if o.DBPID > 0 {
			pids = append(append([]int{}, pids...), o.DBPID)
		}
		cpu0 := make([]float64, len(pids))
		for k, pid := range pids {
			cpu0[k] = cpuSeconds(pid)
		}
		time.Sleep(o.Quiet)
		var cpu []string
		for k, pid := range pids {
			cpu = append(cpu, fmt.Sprintf("%.1f%%", 100*(cpuSeconds(pid)-cpu0[k])/o.Quiet.Seconds()))
		}
		if o.DBPID > 0 {
			cpu[len(cpu)-1] = "database " + cpu[len(cpu)-1]
		}
		if err := o.Record.add(fmt.Sprintf("server CPU with the IDLE sessions held, nothing delivered (%s, %% of one core)", o.Quiet),
			strings.Join(cpu, ", ")); err != nil {
			return err
		}
	}
	doors, err := deliverers(o.URLs, o.LMTP, o.Admin, o.AdminPass)
	if err != nil {
		return err
	}
	var lat, dl []time.Duration
	for d := 0; d < o.Deliveries; d++ {
		i := rand.IntN(o.Accounts)
		if o.First == 0 && o.Accounts > 1 && i == 0 {
			i = 1 // user0's Inbox keeps its size for initial-sync and fetch-flags
		}
		for len(woke[i]) > 0 {
			<-woke[i]
		}
		through := doors[i%n]
		if o.Cross {
			through = doors[(i+1)%n]
		}
		t0 := time.Now()
		if err := through.deliver(user(o.First+i), message(d)); err != nil {
			return err
		}
		dl = append(dl, time.Since(t0))
		select {
		case at := <-woke[i]:
			lat = append(lat, at.Sub(t0))
		case <-time.After(10 * time.Second):
			lat = append(lat, 10*time.Second)
			fmt.Fprintf(os.Stderr, "no EXISTS for %s within 10 s\n", user(o.First+i))
		}
		time.Sleep(20 * time.Millisecond)
	}
	what := fmt.Sprintf("IDLE wake latency, delivery to * EXISTS (%d deliveries)", len(lat))
	if o.Cross {
		what = fmt.Sprintf("IDLE wake latency across instances, delivery on one, session on the other (%d deliveries)", len(lat))
	}
	if len(o.LMTP) > 0 {
		what += ", delivered over LMTP"
	}
	if err := o.Record.addWakes(what, lat, dl); err != nil {
		return err
	}
	for k, pid := range o.ServerPIDs {
		fmt.Printf("server %d after the deliveries: %s\n", k+1, memory(pid))
	}
	hold(fmt.Sprintf("%d IDLE sessions", o.Accounts), o.Hold)
	return nil
}

// holdIdle logs account i in, selects INBOX and starts IDLE; it returns once the server has
// answered the continuation. A busy server may refuse a connection now and then; a client
// retries, and so does this one (three times).
func holdIdle(addr string, i int) (*imapConn, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Second)
		}
		var c *imapConn
		if c, err = loginIMAP(addr, i, "INBOX"); err != nil {
			continue
		}
		if _, err = io.WriteString(c.c, "idle IDLE\r\n"); err == nil {
			var l string
			if l, err = c.line(); err == nil && strings.HasPrefix(l, "+") {
				c.c.SetDeadline(time.Time{}) // held until the measurement ends
				return c, nil
			} else if err == nil {
				err = fmt.Errorf("IDLE: %q", l)
			}
		}
		c.c.Close()
	}
	return nil, err
}

// readIdle reports every "* N EXISTS" the idling session receives until it is closed.
func readIdle(c *imapConn, woke chan<- time.Time) {
	for {
		l, err := c.line()
		if err != nil {
			return
		}
		if isExists(l) {
			select {
			case woke <- time.Now():
			default:
			}
		}
	}
}
