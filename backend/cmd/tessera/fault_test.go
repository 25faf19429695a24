package main_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// cutProxy forwards TCP to target until cut; restore accepts again on the same port.
type cutProxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func (p *cutProxy) start(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// MySQL goes away and comes back: the API answers 503 with the error JSON and Retry-After,
// EAS 503 with Retry-After, readiness fails; afterwards everything works without a restart and
// what was stored before is still there.
func TestDatabaseOutage(t *testing.T) {
	dsn := storetest.MySQL(t)
	if dsn == "" {
		testenv.RequireMySQL(t)
	}
	cfg, _ := gomysql.ParseDSN(dsn)
	proxy := &cutProxy{addr: "127.0.0.1:0", target: cfg.Addr}
	proxy.start(t)
	cfg.Addr = proxy.addr
	const pw = "Harbor-Lantern-Pass-84"
	base, _, _ := serve(t, append(os.Environ(), "TESSERA_DB_DRIVER=mysql", "TESSERA_DB_DSN="+cfg.FormatDSN(), "TESSERA_LISTEN=127.0.0.1:0",
		"TESSERA_DATA_DIR="+t.TempDir(), "TESSERA_BOOTSTRAP_ADMIN_PASSWORD="+pw, "TESSERA_REDIS_URL="))
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body, _ := json.Marshal(map[string]string{"username": "admin@example.com", "password": pw})
	if resp, err := hc.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp)
	}
	get := func(path string) (*http.Response, string) {
		resp, err := hc.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	eas := func() *http.Response {
		req, _ := http.NewRequest("OPTIONS", base+"/Microsoft-Server-ActiveSync", nil)
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("admin@example.com:"+pw)))
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	proxy.cut()
	if resp, b := get("/api/v1/me"); resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !regexp.MustCompile(`"code":"unavailable"`).MatchString(b) {
		t.Fatalf("API with the database away: %d %s", resp.StatusCode, b)
	}
	if resp := eas(); resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("EAS with the database away: %d", resp.StatusCode)
	}
	if resp, _ := get("/readyz"); resp.StatusCode != 503 {
		t.Fatalf("readyz with the database away: %d", resp.StatusCode)
	}
	if resp, _ := get("/healthz"); resp.StatusCode != 200 {
		t.Fatalf("healthz is about the process: %d", resp.StatusCode)
	}

	proxy.addr = cfg.Addr // the same port again
	proxy.start(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, b := get("/api/v1/me")
		if resp.StatusCode == 200 {
			if !regexp.MustCompile(`"email":"admin@example.com"`).MatchString(b) {
				t.Fatalf("after the outage: %s", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service did not come back: %d %s", resp.StatusCode, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if resp := eas(); resp.StatusCode != 200 {
		t.Fatalf("EAS after the outage: %d", resp.StatusCode)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// Redis goes away and comes back: logins (which need the shared counters) answer 503 with
// Retry-After instead of skipping the brute-force check; afterwards they work again.
func TestRedisOutage(t *testing.T) {
	dsn := storetest.MySQL(t)
	if dsn == "" {
		testenv.RequireMySQL(t)
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.1:6379", time.Second); err != nil {
		testenv.RequireRedis(t, err)
	} else {
		c.Close()
	}
	proxy := &cutProxy{addr: "127.0.0.1:0", target: "127.0.0.1:6379"}
	proxy.start(t)
	const pw = "Harbor-Lantern-Pass-84"
	base, _, _ := serve(t, append(os.Environ(), "TESSERA_DB_DRIVER=mysql", "TESSERA_DB_DSN="+dsn, "TESSERA_LISTEN=127.0.0.1:0",
		"TESSERA_DATA_DIR="+t.TempDir(), "TESSERA_BOOTSTRAP_ADMIN_PASSWORD="+pw, "TESSERA_REDIS_URL=redis://"+proxy.addr+"/13"))
	login := func() *http.Response {
		body, _ := json.Marshal(map[string]string{"username": "admin@example.com", "password": pw})
		resp, err := (&http.Client{Timeout: 20 * time.Second}).Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := login(); r.StatusCode != 200 {
		t.Fatalf("login with Redis: %d", r.StatusCode)
	}
	proxy.cut()
	if r := login(); r.StatusCode != 503 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("login with Redis away: %d", r.StatusCode)
	}
	proxy.start(t)
	deadline := time.Now().Add(20 * time.Second)
	for login().StatusCode != 200 {
		if time.Now().After(deadline) {
			t.Fatal("logins did not come back with Redis")
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// SIGTERM with a Ping held: the Ping is answered at once with Status 1 (the phone pings again,
// elsewhere), and the process exits cleanly well before the heartbeat would have ended.
func TestGracefulShutdownEndsPings(t *testing.T) {
	const pw = "Harbor-Lantern-Pass-84"
	env := append(os.Environ(), "TESSERA_LISTEN=127.0.0.1:0", "TESSERA_DATA_DIR="+t.TempDir(),
		"TESSERA_BOOTSTRAP_ADMIN_PASSWORD="+pw, "TESSERA_REDIS_URL=", "TESSERA_DB_DRIVER=sqlite", "TESSERA_DB_DSN=")
	base, cmd, out := serve(t, env)
	quiet := exec.Command(bin, "config", "set", "securityNotices", "none") // a notice would answer the Ping at once
	quiet.Env = env
	if b, err := quiet.CombinedOutput(); err != nil {
		t.Fatalf("config set: %v\n%s", err, b)
	}
	p := &easclient.Client{BaseURL: base, User: "admin@example.com", Pass: pw, DeviceID: "shutdown", DeviceType: "iPhone", Version: "14.1"}
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs, _ := p.FolderSync("0")
	inbox := ""
	for _, a := range fs.Body.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			inbox = a.TextOf("ServerId")
		}
	}
	p.SyncOne(inbox, "0")
	done := make(chan *easclient.Response, 1)
	go func() {
		r, _ := p.Do("Ping", wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", "900"),
			wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", inbox), wbxml.NewText("Class", "Email")))))
		done <- r
	}()
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case r := <-done:
		if r == nil || r.Body.TextOf("Status") != "1" {
			t.Fatalf("held Ping at shutdown: %v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the held Ping was not answered at shutdown")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, out.String())
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("shutdown took %v", took)
	}
}
