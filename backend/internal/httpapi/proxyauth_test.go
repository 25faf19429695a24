package httpapi_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

func nginxAuth(t *testing.T, s *apptest.Server, proto, user, pass string) http.Header {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/proxy-auth/nginx", nil)
	req.Header.Set("Auth-Method", "plain")
	req.Header.Set("Auth-User", url.PathEscape(user))
	req.Header.Set("Auth-Pass", url.PathEscape(pass))
	req.Header.Set("Auth-Protocol", proto)
	req.Header.Set("Auth-Login-Attempt", "1")
	req.Header.Set("Client-IP", "198.51.100.7")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("auth_http answered %d", resp.StatusCode)
	}
	return resp.Header
}

func TestNginxAuthHTTPProtocol(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	pc := create(t, c, "app_passcode", "Laptop")
	eas := create(t, c, "eas", "Phone")
	for _, proto := range []string{"imap", "pop3", "smtp"} {
		h := nginxAuth(t, s, proto, admin, pc.Secret.Password)
		if h.Get("Auth-Status") != "OK" || h.Get("Auth-Server") != "127.0.0.1" || h.Get("Auth-Port") == "" {
			t.Errorf("%s with a passcode: %v", proto, h)
		}
		h = nginxAuth(t, s, proto, admin, eas.Secret.Password)
		if h.Get("Auth-Status") != "Invalid login or password" || h.Get("Auth-Wait") == "" {
			t.Errorf("%s with an EAS password: %v", proto, h)
		}
	}
	if h := nginxAuth(t, s, "smtp", admin, "nope"); h.Get("Auth-Error-Code") != "535 5.7.8" {
		t.Errorf("smtp failure without Auth-Error-Code: %v", h)
	}
	// nginx escapes the password: a password with % and spaces still works.
	if _, err := s.App.Accounts.SetPassword(t.Context(), "test", admin, "100% Sure Pass+word!", false); err != nil {
		t.Fatal(err)
	}
	if h := nginxAuth(t, s, "imap", admin, "100% Sure Pass+word!"); h.Get("Auth-Status") != "OK" {
		t.Errorf("escaped account password: %v", h)
	}
	if h := nginxAuth(t, s, "ftp", admin, pc.Secret.Password); h.Get("Auth-Status") == "OK" {
		t.Error("unknown protocol accepted")
	}
}

// Only the configured mail proxies may ask.
func TestNginxAuthOnlyForProxies(t *testing.T) {
	s := apptest.Start(t, sqlite(t), apptest.Options{ProxyAuthAllow: []string{"192.0.2.10"}})
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/proxy-auth/nginx", nil)
	req.Header.Set("Auth-User", admin)
	req.Header.Set("Auth-Pass", apptest.AdminPassword)
	req.Header.Set("Auth-Protocol", "imap")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("Auth-Status") != "" {
		t.Fatalf("a caller outside TESSERA_PROXY_AUTH_ALLOW: %d %v", resp.StatusCode, resp.Header)
	}
}

// A real nginx mail proxy from Debian's packages in front of an IMAP upstream started here:
// LOGIN through nginx succeeds with an application passcode and fails with an EAS password and
// with a deleted passcode.
func TestNginxMailProxy(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	module := "/usr/lib/nginx/modules/ngx_mail_module.so"
	if _, err := os.Stat(module); err != nil || !exists(nginx) {
		testenv.Missing(t, "nginx with its mail module", "apt-get install nginx libnginx-mod-mail")
	}
	upstream := fakeIMAP(t)
	s := apptest.Start(t, sqlite(t), apptest.Options{MailUpstreams: map[string]string{"imap": upstream}})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	pc := create(t, c, "app_passcode", "Thunderbird")
	eas := create(t, c, "eas", "Phone")

	port := freePort(t)
	dir := t.TempDir()
	conf := fmt.Sprintf(`load_module %s;
daemon off;
master_process off;
pid %s/nginx.pid;
error_log %s/error.log info;
events { worker_connections 32; }
mail {
  server_name localhost;
  auth_http %s/api/v1/proxy-auth/nginx;
  auth_http_timeout 5s;
  proxy_pass_error_message on;
  server { listen 127.0.0.1:%d; protocol imap; }
}
`, module, dir, dir, strings.TrimPrefix(s.URL, "http://"), port)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitListening(t, port, func() string {
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		return out.String() + string(log)
	})

	login := func(user, pass string) string {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		rd := bufio.NewReader(conn)
		if greet, _ := rd.ReadString('\n'); !strings.HasPrefix(greet, "* OK") {
			t.Fatalf("greeting %q", greet)
		}
		fmt.Fprintf(conn, "a1 LOGIN %q %q\r\n", user, pass)
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("reading LOGIN answer: %v", err)
			}
			if strings.HasPrefix(line, "a1 ") {
				return strings.TrimSpace(line)
			}
		}
	}
	if got := login(admin, pc.Secret.Password); !strings.HasPrefix(got, "a1 OK") {
		t.Fatalf("LOGIN with an application passcode: %q", got)
	}
	if got := login(admin, eas.Secret.Password); !strings.HasPrefix(got, "a1 NO") {
		t.Fatalf("LOGIN with an EAS password: %q", got)
	}
	if r := c.Do("DELETE", "/api/v1/credentials/"+fmt.Sprint(pc.Credential.ID), nil); r.StatusCode != 204 {
		t.Fatal(r.StatusCode)
	}
	if got := login(admin, pc.Secret.Password); !strings.HasPrefix(got, "a1 NO") {
		t.Fatalf("LOGIN with a deleted passcode: %q", got)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitListening(t *testing.T, port int, logs func() string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nginx did not start:\n%s", logs())
}

// fakeIMAP is the upstream mail server: it accepts any LOGIN (nginx only forwards the ones
// Tessera approved) and answers LOGOUT.
func fakeIMAP(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func(conn net.Conn) {
				defer conn.Close()
				fmt.Fprint(conn, "* OK [CAPABILITY IMAP4rev1] upstream ready\r\n")
				rd := bufio.NewReader(conn)
				for {
					line, err := rd.ReadString('\n')
					if err != nil {
						return
					}
					tag, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
					switch cmd, _, _ := strings.Cut(strings.ToUpper(rest), " "); cmd {
					case "LOGIN":
						fmt.Fprintf(conn, "%s OK LOGIN completed\r\n", tag)
					case "LOGOUT":
						fmt.Fprintf(conn, "* BYE\r\n%s OK LOGOUT completed\r\n", tag)
						return
					default:
						fmt.Fprintf(conn, "%s OK\r\n", tag)
					}
				}
			}(conn)
		}
	}()
	return l.Addr().String()
}
