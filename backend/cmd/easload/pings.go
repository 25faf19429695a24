package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

type pingOptions struct {
	URL                                        string
	Accounts, Heartbeat, Deliveries, ServerPID int
	Admin, AdminPass                           string
}

// phoneFor is the seeded device of account i.
func phoneFor(o pingOptions, i int, hc *http.Client) *easclient.Client {
	return &easclient.Client{BaseURL: o.URL, User: user(i), Pass: secret(i), DeviceID: deviceID(i), DeviceType: "LoadPhone",
		Version: "14.1", PolicyKey: "1", HTTP: hc}
}

func runPings(o pingOptions) error {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Accounts + 64, DisableCompression: true, IdleConnTimeout: time.Hour}}
	woke := make([]chan time.Time, o.Accounts)
	for i := range woke {
		woke[i] = make(chan time.Time, 4)
	}
	var held atomic.Int64
	start := time.Now()
	for i := 0; i < o.Accounts; i++ {
		go pingLoop(o, i, hc, woke[i], &held)
	}
	for held.Load() < int64(o.Accounts) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // let the server take up the last ones
	fmt.Printf("%d Pings sent in %s (heartbeat %d s)\n", o.Accounts, time.Since(start).Round(time.Millisecond), o.Heartbeat)
	if o.ServerPID > 0 {
		fmt.Printf("server memory with %d Pings held: %s\n", o.Accounts, memory(o.ServerPID))
	}
	admin, err := adminSession(o)
	if err != nil {
		return err
	}
	var lat []time.Duration
	for d := 0; d < o.Deliveries; d++ {
		i := rand.IntN(o.Accounts)
		for len(woke[i]) > 0 {
			<-woke[i]
		}
		t0 := time.Now()
		if err := admin.deliver(user(i), message(d)); err != nil {
			return err
		}
		select {
		case at := <-woke[i]:
			lat = append(lat, at.Sub(t0))
		case <-time.After(10 * time.Second):
			lat = append(lat, 10*time.Second)
			fmt.Fprintf(os.Stderr, "no wake for %s within 10 s\n", user(i))
		}
		time.Sleep(20 * time.Millisecond)
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("wake latency over %d deliveries with %d Pings held: p50 %s, p90 %s, p99 %s, max %s\n",
		len(lat), o.Accounts, q(0.5).Round(time.Microsecond*100), q(0.9).Round(time.Microsecond*100), q(0.99).Round(time.Microsecond*100), lat[len(lat)-1].Round(time.Microsecond*100))
	if o.ServerPID > 0 {
		fmt.Printf("server memory after the deliveries: %s\n", memory(o.ServerPID))
	}
	return nil
}

// pingLoop keeps one Ping of account i held; every answer with Status 2 is a wake.
func pingLoop(o pingOptions, i int, hc *http.Client, woke chan<- time.Time, held *atomic.Int64) {
	p := phoneFor(o, i, hc)
	fs, err := p.FolderSync("0")
	if err != nil || fs.Body == nil {
		fmt.Fprintf(os.Stderr, "%s: FolderSync: %v\n", user(i), err)
		return
	}
	inbox := ""
	for _, a := range fs.Body.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			inbox = a.TextOf("ServerId")
		}
	}
	r, err := p.SyncOne(inbox, "0")
	if err != nil || r.Body == nil {
		fmt.Fprintf(os.Stderr, "%s: Sync 0: %v\n", user(i), err)
		return
	}
	key := easclient.Collection(r.Body, inbox).TextOf("AirSync:SyncKey")
	body := wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", strconv.Itoa(o.Heartbeat)),
		wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", inbox), wbxml.NewText("Class", "Email"))))
	counted := false
	for {
		if !counted {
			held.Add(1)
			counted = true
		}
		r, err := p.Do("Ping", body)
		if err != nil {
			time.Sleep(time.Second)
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

type adminClient struct {
	base string
	hc   *http.Client
	csrf string
}

func adminSession(o pingOptions) (*adminClient, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"username": o.Admin, "password": o.AdminPass})
	resp, err := hc.Post(o.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("admin login: HTTP %d (set --admin-password)", resp.StatusCode)
	}
	a := &adminClient{base: o.URL, hc: hc}
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
	resp.Body.Close()
	if resp.StatusCode != 201 {
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
