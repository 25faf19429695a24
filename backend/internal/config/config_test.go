package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.DBDriver != "sqlite" || c.DataDir != "./data" || c.BootstrapDomain != "example.com" ||
		c.SessionTTL != 12*time.Hour || c.SecureCookies() || c.SQLiteDSN() != filepath.Join("data", "tessera.db") {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestOverrides(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"TESSERA_LISTEN": "0.0.0.0:9000", "TESSERA_DB_DRIVER": "MySQL", "TESSERA_DB_DSN": "u:p@tcp(db:3306)/t",
		"TESSERA_PUBLIC_URL": "https://mail.example.com/", "TESSERA_BOOTSTRAP_DOMAIN": "Corp.Example",
		"TESSERA_SECRET_KEY": strings.Repeat("k", 32), "TESSERA_SESSION_TTL": "2h", "TESSERA_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16",
		"TESSERA_AUTH_CACHE_TTL": "0", "TESSERA_METRICS_LISTEN": "127.0.0.1:9100", "TESSERA_PROFILING": "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "0.0.0.0:9000" || c.DBDriver != "mysql" || c.PublicURL != "https://mail.example.com" || !c.SecureCookies() ||
		c.BootstrapDomain != "corp.example" || c.SessionTTL != 2*time.Hour || len(c.TrustedProxies) != 2 ||
		c.AuthCacheTTL != 0 || !c.Profiling {
		t.Fatalf("overrides = %+v", c)
	}
}

func TestValidationNamesEveryBadVariable(t *testing.T) {
	_, err := Load(envOf(map[string]string{
		"TESSERA_LISTEN": "8080", "TESSERA_DB_DRIVER": "mysql", "TESSERA_PUBLIC_URL": "mail.example.com",
		"TESSERA_SECRET_KEY": "short", "TESSERA_SESSION_TTL": "forever", "TESSERA_BOOTSTRAP_DOMAIN": "localhost",
		"TESSERA_TRUSTED_PROXIES": "not-an-ip", "TESSERA_LOG_LEVEL": "loud",
		"TESSERA_AUTH_CACHE_TTL": "1h", "TESSERA_PROFILING": "true", // the profiler without a metrics listener
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, name := range []string{"TESSERA_LISTEN", "TESSERA_DB_DSN", "TESSERA_PUBLIC_URL", "TESSERA_SECRET_KEY",
		"TESSERA_SESSION_TTL", "TESSERA_BOOTSTRAP_DOMAIN", "TESSERA_TRUSTED_PROXIES", "TESSERA_LOG_LEVEL",
		"TESSERA_AUTH_CACHE_TTL", "TESSERA_PROFILING"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestKeyGeneratedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	c := Default()
	c.DataDir = dir
	k1, err := c.Key()
	if err != nil || len(k1) < 32 {
		t.Fatalf("Key = %q, %v", k1, err)
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key: %v %v", info, err)
	}
	c2 := Default()
	c2.DataDir = dir
	k2, _ := c2.Key()
	if string(k1) != string(k2) {
		t.Fatal("a second start got another key: every session would die on restart")
	}
}

func TestVariablesDocumented(t *testing.T) {
	if len(Variables()) < 10 {
		t.Fatalf("Variables() = %v", Variables())
	}
}

// The README's configuration table names every variable the code reads.
func TestREADMEListsEveryVariable(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variables() {
		if !strings.Contains(string(raw), "| `"+v[0]+"` |") {
			t.Errorf("README configuration table lacks %s", v[0])
		}
	}
}

func TestMailProxySettings(t *testing.T) {
	c, err := Load(envOf(map[string]string{"TESSERA_MAIL_UPSTREAMS": "imap=10.0.0.5:1143, smtp=10.0.0.6:587", "TESSERA_PROXY_AUTH_ALLOW": "10.0.0.0/24"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MailUpstreams["imap"] != "10.0.0.5:1143" || c.MailUpstreams["smtp"] != "10.0.0.6:587" || len(c.MailUpstreams) != 2 || c.ProxyAuthAllow[0] != "10.0.0.0/24" {
		t.Fatalf("got %+v %+v", c.MailUpstreams, c.ProxyAuthAllow)
	}
	for _, bad := range []string{"imap=mail.example.com:143", "ftp=10.0.0.1:21", "imap", "imap=10.0.0.1"} {
		if _, err := Load(envOf(map[string]string{"TESSERA_MAIL_UPSTREAMS": bad})); err == nil || !strings.Contains(err.Error(), "TESSERA_MAIL_UPSTREAMS") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

// A breached-password list is checked at start: a good one loads, a missing, malformed or
// unsorted one is an error naming the variable.
func TestBreachedPasswordsFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join("..", "password", "testdata", "pwned-sample.txt")
	unsorted := filepath.Join(dir, "unsorted.txt")
	os.WriteFile(unsorted, []byte("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:1\r\n0000000000000000000000000000000000000000:2\r\n"), 0o600)
	corrupt := filepath.Join(dir, "corrupt.txt")
	os.WriteFile(corrupt, []byte("password\n123456\n"), 0o600)
	load := func(path string) error {
		_, err := Load(func(k string) string {
			if k == "TESSERA_BREACHED_PASSWORDS_FILE" {
				return path
			}
			return ""
		})
		return err
	}
	if err := load(good); err != nil {
		t.Fatalf("the sample list: %v", err)
	}
	for name, path := range map[string]string{"missing": filepath.Join(dir, "none.txt"), "unsorted": unsorted, "corrupt": corrupt} {
		err := load(path)
		if err == nil || !strings.Contains(err.Error(), "TESSERA_BREACHED_PASSWORDS_FILE") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
