package main_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The real binary with metrics on: JSON log lines carry the request id, and /metrics (on its own
// listener only) counts what happened.
func TestMetricsAndLogs(t *testing.T) {
	mport := freeTCPPort(t)
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: ""})
	c.env = append(c.env, "TESSERA_LISTEN=127.0.0.1:0", "TESSERA_LOG_FORMAT=json", fmt.Sprintf("TESSERA_METRICS_LISTEN=127.0.0.1:%d", mport))
	cmd := exec.Command(bin, "serve")
	cmd.Env = c.env
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	logs := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs <- sc.Text()
		}
	}()
	addr := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`listening on http://(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	base := "http://" + addr
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"nobody@example.com","password":"x"}`))
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("login: %v %v", err, resp)
	}
	id := resp.Header.Get("X-Request-Id")
	resp.Body.Close()
	req, _ := http.NewRequest("OPTIONS", base+"/Microsoft-Server-ActiveSync", nil)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("nobody@example.com:x")))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	// The audit line of the failed login is JSON and carries the request's id.
	found := false
	for deadline := time.After(5 * time.Second); !found; {
		select {
		case line := <-logs:
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["action"] == "login_failed" && rec["request_id"] == id && id != "" {
				found = true
			}
		case <-deadline:
			t.Fatalf("no JSON audit line with request_id %q", id)
		}
	}
	resp, err = http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", mport))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`tessera_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"} 1`,
		`tessera_eas_commands_total{command="OPTIONS",status="401"} 1`,
		`tessera_audit_events_total{kind="login_failed",outcome="failure"} 2`,
		`tessera_eas_pings_held 0`,
		`go_sql_max_open_connections{db_name="tessera"}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Not on the API's port.
	resp, _ = http.Get(base + "/metrics")
	api, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(api), "tessera_http_requests_total") {
		t.Fatal("metrics served on the API port")
	}
}
