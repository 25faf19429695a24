package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

type pingOptions struct {
	URLs                            []string // Pings of account i go to URLs[i%len]
	Accounts, Heartbeat, Deliveries int
	// First is the first account (user<First>): two easload processes hold more Pings than
	// one process's open-file limit allows, each its own accounts.
	First int
	// Hold keeps the Pings held this long after the deliveries (or until SIGINT/SIGTERM), for
	// a second easload process or a profile of the server.
	Hold time.Duration
	// Setup bounds the phones doing their FolderSync and Sync 0 at once (0: all at once), so
	// that the memory measured with all Pings held is theirs, not the set-up burst's.
	Setup            int
	ServerPIDs       []int // in the order of URLs, to read each server's memory
	Admin, AdminPass string
	// LMTP delivers over LMTP to these addresses (one per URL), as the MTA does, instead of
	// through the admin API.
	LMTP []string
	// Cross delivers through the next instance from the one holding the Ping, so every wake
	// travels through Redis; otherwise through the same instance.
	Cross  bool
	Record recordOptions
}

// phoneFor is the seeded device of account i.
func phoneFor(url string, i int, hc *http.Client) *easclient.Client {
	return &easclient.Client{BaseURL: url, User: user(i), Pass: secret(i), DeviceID: deviceID(i), DeviceType: "LoadPhone",
		Version: "14.1", PolicyKey: "1", HTTP: hc}
}

func runPings(o pingOptions) error {
	n := len(o.URLs)
	if o.Cross && n < 2 {
		return fmt.Errorf("--cross needs two --url")
	}
	if len(o.ServerPIDs) > 0 && len(o.ServerPIDs) != n {
		return fmt.Errorf("--server-pid: one per --url")
	}
	rss0 := make([]int, len(o.ServerPIDs))
	for k, pid := range o.ServerPIDs {
		rss0[k] = rssKB(pid)
	}
	// Ending runPings hangs up every held Ping (the CLI exits anyway; a test's server must close).
	ctx, hangUp := context.WithCancel(context.Background())
	defer hangUp()
	hc := httpClient(o.Accounts)
	hc.Transport = ctxTransport{ctx, hc.Transport}
	end := o.First + o.Accounts
	woke := make([]chan time.Time, end)
	for i := o.First; i < end; i++ {
		woke[i] = make(chan time.Time, 4)
	}
	var held atomic.Int64
	start := time.Now()
	var gate chan struct{}
	if o.Setup > 0 {
		gate = make(chan struct{}, o.Setup)
	}
	// A Ping is held up to its heartbeat: it must not hit the one-minute timeout of the other
	// requests (which would hang it up and send it again every minute).
	hping := &http.Client{Timeout: time.Duration(o.Heartbeat)*time.Second + time.Minute, Transport: hc.Transport}
	for i := o.First; i < end; i++ {
		go pingLoop(ctx, o, i, hc, hping, woke[i], &held, gate)
	}
	for held.Load() < int64(o.Accounts) {
		if time.Since(start) > 15*time.Minute { // unattended runs must end
			return fmt.Errorf("only %d of %d Pings held after 15 minutes", held.Load(), o.Accounts)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // let the server take up the last ones
	setup := time.Since(start)
	perInstance := make([]int, n)
	for i := o.First; i < end; i++ {
		perInstance[i%n]++
	}
	heldFig := thousands(float64(o.Accounts))
	if n > 1 {
		parts := make([]string, n)
		for k, c := range perInstance {
			parts[k] = thousands(float64(c))
		}
		heldFig += " (" + strings.Join(parts, " + ") + ")"
	}
	if err := o.Record.add("held Pings (heartbeat "+strconv.Itoa(o.Heartbeat)+" s; set-up time)",
		fmt.Sprintf("%s in %.0f s", heldFig, setup.Seconds())); err != nil {
		return err
	}
	if len(o.ServerPIDs) > 0 {
		var rss, per []string
		for k, pid := range o.ServerPIDs {
			fmt.Printf("server %d with %d Pings held: %s\n", k+1, perInstance[k], memory(pid))
			r := rssKB(pid)
			rss = append(rss, fmt.Sprintf("%.0f MB", float64(r)/1024))
			per = append(per, fmt.Sprintf("%.0f KB", float64(r-rss0[k])/float64(max(perInstance[k], 1))))
		}
		if err := o.Record.add("server RSS with the Pings held (per instance)", strings.Join(rss, ", ")); err != nil {
			return err
		}
		if err := o.Record.add("memory per held Ping (RSS growth / Pings)", strings.Join(per, ", ")); err != nil {
			return err
		}
	}
	doors, err := deliverers(o.URLs, o.LMTP, o.Admin, o.AdminPass)
	if err != nil {
		return err
	}
	var lat, dl []time.Duration
	for d := 0; d < o.Deliveries; d++ {
		i := o.First + rand.IntN(o.Accounts)
		if o.Accounts > 1 && i == 0 {
			i = 1 // user0's Inbox is the one initial-sync measures: it keeps its size
		}
		for len(woke[i]) > 0 {
			<-woke[i]
		}
		through := doors[i%n]
		if o.Cross {
			through = doors[(i+1)%n]
		}
		t0 := time.Now()
		if err := through.deliver(user(i), message(d)); err != nil {
			return err
		}
		dl = append(dl, time.Since(t0))
		select {
		case at := <-woke[i]:
			lat = append(lat, at.Sub(t0))
		case <-time.After(10 * time.Second):
			lat = append(lat, 10*time.Second)
			fmt.Fprintf(os.Stderr, "no wake for %s within 10 s\n", user(i))
		}
		time.Sleep(20 * time.Millisecond)
	}
	what := fmt.Sprintf("wake latency, delivery to Ping answer (%d deliveries)", len(lat))
	if o.Cross {
		what = fmt.Sprintf("wake latency across instances, delivery on one, Ping held on the other (%d deliveries)", len(lat))
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
	hold(fmt.Sprintf("%d Pings", o.Accounts), o.Hold)
	return nil
}

// pingLoop keeps one Ping of account i held; every answer with Status 2 is a wake.
func pingLoop(ctx context.Context, o pingOptions, i int, hc, hping *http.Client, woke chan<- time.Time, held *atomic.Int64, setup chan struct{}) {
	p := phoneFor(o.URLs[i%len(o.URLs)], i, hc)
	var inbox, key string
	// A busy server answers 503 now and then; a phone retries, and so does this one.
	for attempt := 0; ; attempt++ {
		var err error
		if setup != nil {
			setup <- struct{}{}
		}
		inbox, key, err = pingSetup(p)
		if setup != nil {
			<-setup
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		if attempt == 0 {
			fmt.Fprintf(os.Stderr, "%s: %v (retrying)\n", user(i), err)
		}
		time.Sleep(time.Second)
	}
	body := wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", strconv.Itoa(o.Heartbeat)),
		wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", inbox), wbxml.NewText("Class", "Email"))))
	counted := false
	for {
		if !counted {
			held.Add(1)
			counted = true
		}
		p.HTTP = hping
		r, err := p.Do("Ping", body)
		p.HTTP = hc
		if ctx.Err() != nil {
			return
		}
		if err != nil || r.HTTPStatus != http.StatusOK {
			time.Sleep(time.Second) // 503 Retry-After: back off, as a phone does
			continue
		}
		if r.Body != nil && r.Body.TextOf("Status") == "2" {
			woke <- time.Now()
			// Sync the new mail so the next Ping waits again.
			if s, err := p.SyncOne(inbox, key); err == nil && s.Body != nil {
				if k := easclient.Collection(s.Body, inbox).TextOf("AirSync:SyncKey"); k != "" {
					key = k
				}
			}
		}
	}
}

// pingSetup is what a phone does before its first Ping: FolderSync 0, then Sync 0 of the Inbox.
func pingSetup(p *easclient.Client) (inbox, key string, err error) {
	fs, err := p.FolderSync("0")
	if err != nil || fs.Body == nil {
		return "", "", fmt.Errorf("FolderSync: %v (HTTP %d)", err, httpStatus(fs))
	}
	inbox = inboxOf(fs.Body)
	r, err := p.SyncOne(inbox, "0")
	if err != nil || r.Body == nil {
		return "", "", fmt.Errorf("Sync 0: %v (HTTP %d)", err, httpStatus(r))
	}
	return inbox, easclient.Collection(r.Body, inbox).TextOf("AirSync:SyncKey"), nil
}

func httpStatus(r *easclient.Response) int {
	if r == nil {
		return 0
	}
	return r.HTTPStatus
}

// ctxTransport sends every request with ctx, so cancelling it ends requests in flight.
type ctxTransport struct {
	ctx context.Context
	rt  http.RoundTripper
}

func (t ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.rt.RoundTrip(r.WithContext(t.ctx))
}

type adminClient struct {
	base string
	hc   *http.Client
	csrf string
}

func adminSession(url, admin, pass string) (*adminClient, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"username": admin, "password": pass})
	resp, err := hc.Post(url+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("admin login: HTTP %d (set --admin-password)", resp.StatusCode)
	}
	a := &adminClient{base: url, hc: hc}
	for _, c := range resp.Cookies() {
		if c.Name == "tessera_csrf" {
			a.csrf = c.Value
		}
	}
	return a, nil
}

func (a *adminClient) deliver(to string, msg []byte) error {
	req, _ := http.NewRequest("POST", a.base+"/api/v1/admin/accounts/"+to+"/messages", bytes.NewReader(msg))
	req.Header.Set("Content-Type", "message/rfc822")
	req.Header.Set("X-CSRF-Token", a.csrf)
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	// Read to the end, so the connection is kept for the next delivery (as an MTA keeps its
	// LMTP connection): a body closed unread makes the next delivery dial again, and the timed
	// delivery then includes a TCP connect and the server's accept.
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		// 403 two_factor_required: the admin has no OTP entry; easload's scripts turn
		// adminRequireTwoFactor off (tessera config set adminRequireTwoFactor false).
		return fmt.Errorf("deliver to %s: HTTP %d", to, resp.StatusCode)
	}
	return nil
}

// memory reads the server's resident memory and its peak from /proc.
func memory(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") || strings.HasPrefix(line, "Threads:") {
			parts = append(parts, strings.Join(strings.Fields(line), " "))
		}
	}
	return strings.Join(parts, ", ")
}

// rssKB is the server's resident memory in KB (0 when unreadable).
func rssKB(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb
		}
	}
	return 0
}

// cpuSeconds is the CPU time (user and system) the process has used, from /proc/<pid>/stat.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces: the fields counted start after its closing parenthesis.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // clock ticks; USER_HZ is 100 on Linux
}

// hold keeps what a process holds (connections, "10000 Pings") for d after its measurement, or
// until SIGINT/SIGTERM, for a second easload process or a profile of the server; 0: not at all.
func hold(what string, d time.Duration) {
	if d <= 0 {
		return
	}
	fmt.Printf("holding %s for %s (or until interrupted)\n", what, d)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case <-sig:
	case <-time.After(d):
	}
}
