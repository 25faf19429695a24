package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/password"
)

// Config is every setting of the binary. The CLI and the server read the same one.
type Config struct {
	Listen                 string
	DataDir                string
	DBDriver               string // sqlite | mysql
	DBDSN                  string
	SecretKey              string // hex or any string of >= 32 bytes; generated into the data dir when unset
	PublicURL              string
	BootstrapDomain        string
	BootstrapAdminPassword string
	SessionTTL             time.Duration
	TrustedProxies         []string          // addresses whose X-Forwarded-For is believed
	ProxyAuthAllow         []string          // callers allowed on the mail-proxy auth endpoint
	MailUpstreams          map[string]string // protocol (imap, pop3, smtp) → IP:port the mail proxy forwards to
	LogLevel               string
	TOTPIssuer             string // shown in authenticator apps and on PIN sheets
	EASHeartbeatMin        time.Duration
	EASHeartbeatMax        time.Duration
	EASMaxPings            int
	EASMaxFolders          int           // folders one Ping may watch; no variable, the default is MS-ASCMD's usual limit
	EASSMIMERoots          string        // PEM file of CAs ValidateCert trusts besides the system's; "" none
	SMTPRelay              string        // host:port for mail sent from devices; "" delivers locally only
	LMTPListen             string        // host:port for LMTP delivery from the MTA; "" is off
	RedisURL               string        // redis://...; shares Ping wake-ups and brute-force counters between instances
	MetricsListen          string        // host:port for /metrics; "" is off
	AuthCacheTTL           time.Duration // how long a device's credential check is kept in memory; 0 is off
	Profiling              bool          // Go's profiler under /debug/pprof/ on the metrics listener
	LogFormat              string        // json | text
	// The mail doors of tessera serve (each "" = off): plain ports offer STARTTLS (STLS for
	// POP3), the ...S ports speak implicit TLS (RFC 8314).
	IMAPListen        string
	IMAPSListen       string
	SubmissionListen  string
	SubmissionsListen string
	POP3Listen        string
	POP3SListen       string
	// TLSCert and TLSKey are PEM files for every mail door, re-read when they change; unset,
	// a self-signed certificate for the public URL's host is generated into the data dir.
	TLSCert string
	TLSKey  string
	// MailPlaintextLoopback allows AUTH/LOGIN/USER without TLS from a loopback client only
	// (a newcomer's client on the same machine); never from any other address.
	MailPlaintextLoopback    bool
	IMAPMaxIdle              int  // IDLE sessions held at once; past that IDLE answers NO
	SubmissionSaveSent       bool // submission also stores a copy in Sent (clients usually APPEND one)
	secretKeyFromEnvironment bool
	mailUpstreamsSet         bool // TESSERA_MAIL_UPSTREAMS given: it wins over Tessera's own doors

	// BreachedPasswordsFile is a local copy of the Pwned Passwords SHA-1 list; "" uses only
	// the embedded common-password list.
	BreachedPasswordsFile string
}

// Default returns the configuration used when no variable is set.
func Default() Config {
	return Config{
		Listen:          "127.0.0.1:8080",
		DataDir:         "./data",
		DBDriver:        "sqlite",
		PublicURL:       "http://127.0.0.1:8080",
		BootstrapDomain: "example.com",
		SessionTTL:      12 * time.Hour,
		LogLevel:        "info",
		TOTPIssuer:      "Tessera",
		LogFormat:       "json",
		EASHeartbeatMin: 60 * time.Second,
		EASHeartbeatMax: 3540 * time.Second,
		EASMaxPings:     20000,
		EASMaxFolders:   300,
		AuthCacheTTL:    30 * time.Second,
		ProxyAuthAllow:  []string{"127.0.0.0/8", "::1/128"},
		MailUpstreams:   map[string]string{"imap": "127.0.0.1:143", "pop3": "127.0.0.1:110", "smtp": "127.0.0.1:25"},
		IMAPMaxIdle:     20000,
	}
}

// env lists every variable with a one-line meaning; the README's table is written from it.
var env = []struct {
	Name, Help string
	set        func(*Config, string) error
}{
	{"TESSERA_LISTEN", "address the HTTP server listens on", func(c *Config, v string) error { c.Listen = v; return nil }},
	{"TESSERA_DATA_DIR", "directory for the SQLite file and the generated secret key", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"TESSERA_DB_DRIVER", "sqlite or mysql", func(c *Config, v string) error { c.DBDriver = strings.ToLower(v); return nil }},
	{"TESSERA_DB_DSN", "database DSN; default: tessera.db in the data dir; for MySQL a go-sql-driver DSN", func(c *Config, v string) error { c.DBDSN = v; return nil }},
	{"TESSERA_SECRET_KEY", "signing/encryption key (>= 32 bytes); generated once into the data dir when unset", func(c *Config, v string) error {
		c.SecretKey = v
		c.secretKeyFromEnvironment = true
		return nil
	}},
	{"TESSERA_PUBLIC_URL", "URL users reach Tessera at (QR codes, links, Secure cookies when https)", func(c *Config, v string) error { c.PublicURL = strings.TrimRight(v, "/"); return nil }},
	{"TESSERA_BOOTSTRAP_DOMAIN", "domain of the first global admin, admin@<domain>", func(c *Config, v string) error { c.BootstrapDomain = strings.ToLower(v); return nil }},
	{"TESSERA_BOOTSTRAP_ADMIN_PASSWORD", "password of the first admin; generated and printed once when unset", func(c *Config, v string) error { c.BootstrapAdminPassword = v; return nil }},
	{"TESSERA_SESSION_TTL", "lifetime of a web session (Go duration); seeds the global setting sessionLifetimeMinutes once", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("not a duration such as 12h: %q", v)
		}
		c.SessionTTL = d
		return nil
	}},
	{"TESSERA_TRUSTED_PROXIES", "comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted (default none)", func(c *Config, v string) error {
		c.TrustedProxies = splitList(v)
		return nil
	}},
	{"TESSERA_LOG_LEVEL", "debug, info, warn or error", func(c *Config, v string) error { c.LogLevel = strings.ToLower(v); return nil }},
	{"TESSERA_TOTP_ISSUER", "issuer name in otpauth:// URLs (authenticator apps) and on PIN-code sheets", func(c *Config, v string) error { c.TOTPIssuer = v; return nil }},
	{"TESSERA_EAS_HEARTBEAT_MIN", "shortest Ping heartbeat (Go duration); seeds the global setting easHeartbeatMinSeconds once", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.EASHeartbeatMin = d
		return err
	}},
	{"TESSERA_EAS_HEARTBEAT_MAX", "longest Ping heartbeat (Go duration); seeds the global setting easHeartbeatMaxSeconds once", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.EASHeartbeatMax = d
		return err
	}},
	{"TESSERA_EAS_MAX_PINGS", "Pings held at once before new ones get 503 with Retry-After", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		c.EASMaxPings = n
		return err
	}},
	{"TESSERA_EAS_SMIME_ROOTS", "PEM file of certificate authorities EAS ValidateCert trusts for S/MIME besides the system's (an organisation's own CA); unset: the system's only", func(c *Config, v string) error { c.EASSMIMERoots = v; return nil }},
	{"TESSERA_BREACHED_PASSWORDS_FILE", "local copy of the Pwned Passwords SHA-1 list (sorted HASH:COUNT lines, as its downloader writes them): a new password found there is refused; checked at start; unset: the embedded common-password list only", func(c *Config, v string) error { c.BreachedPasswordsFile = v; return nil }},
	{"TESSERA_SMTP_RELAY", "host:port of the SMTP relay for mail sent from phones and mail apps, meeting replies and security notices to recovery addresses; unset: deliver to local accounts only", func(c *Config, v string) error { c.SMTPRelay = v; return nil }},
	{"TESSERA_LMTP_LISTEN", "host:port to accept mail over LMTP from the local MTA (e.g. 127.0.0.1:2424); unset: off", func(c *Config, v string) error { c.LMTPListen = v; return nil }},
	{"TESSERA_REDIS_URL", "redis://host:port/db shared by several instances: Ping wake-ups and brute-force counters; unset: one instance alone", func(c *Config, v string) error { c.RedisURL = v; return nil }},
	{"TESSERA_METRICS_LISTEN", "host:port serving Prometheus /metrics (its own listener); unset: off", func(c *Config, v string) error { c.MetricsListen = v; return nil }},
	{"TESSERA_AUTH_CACHE_TTL", "how long a device's successful credential check is kept in memory (Go duration, 0: off); every change to the credential or account drops it at once, on every instance", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.AuthCacheTTL = d
		return err
	}},
	{"TESSERA_PROFILING", "true: serve Go's profiler under /debug/pprof/ on the metrics listener (needs TESSERA_METRICS_LISTEN)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.Profiling = b
		return err
	}},
	{"TESSERA_LOG_FORMAT", "json (production) or text (make run sets it)", func(c *Config, v string) error { c.LogFormat = strings.ToLower(v); return nil }},
	{"TESSERA_IMAP_LISTEN", "host:port of the IMAP door (IMAP4rev1 with STARTTLS), e.g. 127.0.0.1:143; unset: off", func(c *Config, v string) error { c.IMAPListen = v; return nil }},
	{"TESSERA_IMAPS_LISTEN", "host:port of IMAP over implicit TLS, e.g. 0.0.0.0:993; unset: off", func(c *Config, v string) error { c.IMAPSListen = v; return nil }},
	{"TESSERA_SUBMISSION_LISTEN", "host:port of SMTP submission with STARTTLS (RFC 6409), e.g. 0.0.0.0:587; unset: off", func(c *Config, v string) error { c.SubmissionListen = v; return nil }},
	{"TESSERA_SUBMISSIONS_LISTEN", "host:port of SMTP submission over implicit TLS (RFC 8314), e.g. 0.0.0.0:465; unset: off", func(c *Config, v string) error { c.SubmissionsListen = v; return nil }},
	{"TESSERA_POP3_LISTEN", "host:port of the POP3 door (with STLS), e.g. 127.0.0.1:110; unset: off", func(c *Config, v string) error { c.POP3Listen = v; return nil }},
	{"TESSERA_POP3S_LISTEN", "host:port of POP3 over implicit TLS, e.g. 0.0.0.0:995; unset: off", func(c *Config, v string) error { c.POP3SListen = v; return nil }},
	{"TESSERA_TLS_CERT", "PEM certificate (chain) for the mail doors, re-read when it changes; unset: a self-signed one is generated into the data dir", func(c *Config, v string) error { c.TLSCert = v; return nil }},
	{"TESSERA_TLS_KEY", "PEM private key of TESSERA_TLS_CERT", func(c *Config, v string) error { c.TLSKey = v; return nil }},
	{"TESSERA_MAIL_PLAINTEXT_LOOPBACK", "true: a client on a loopback address may log in to IMAP/POP3/submission without TLS (never any other address)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.MailPlaintextLoopback = b
		return err
	}},
	{"TESSERA_IMAP_MAX_IDLE", "IMAP IDLE sessions held at once; past that IDLE answers NO", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		c.IMAPMaxIdle = n
		return err
	}},
	{"TESSERA_SUBMISSION_SAVE_SENT", "true: mail sent through submission is also stored in Sent (desktop clients usually save their own copy by IMAP APPEND)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.SubmissionSaveSent = b
		return err
	}},
	{"TESSERA_PROXY_AUTH_ALLOW", "comma-separated addresses/CIDRs allowed to call the mail-proxy auth endpoint", func(c *Config, v string) error {
		c.ProxyAuthAllow = splitList(v)
		return nil
	}},
	{"TESSERA_MAIL_UPSTREAMS", "protocol=IP:port pairs the mail proxy forwards to after a successful login; unset: Tessera's own plain IMAP, POP3 and submission doors when they listen on an IP address", func(c *Config, v string) error {
		m := map[string]string{}
		for _, p := range splitList(v) {
			proto, addr, ok := strings.Cut(p, "=")
			if !ok {
				return fmt.Errorf("want imap=IP:port,pop3=IP:port,smtp=IP:port, got %q", p)
			}
			m[strings.ToLower(strings.TrimSpace(proto))] = strings.TrimSpace(addr)
		}
		c.MailUpstreams = m
		c.mailUpstreamsSet = true
		return nil
	}},
}

// Variables returns the names and meanings of the environment variables, in order.
func Variables() [][2]string {
	out := make([][2]string, len(env))
	for i, e := range env {
		out[i] = [2]string{e.Name, e.Help}
	}
	return out
}

// Load reads the environment over the defaults and validates the result.
func Load(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Default()
	var errs []error
	for _, e := range env {
		if v := strings.TrimSpace(getenv(e.Name)); v != "" {
			if err := e.set(&c, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", e.Name, err))
			}
		}
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Validate checks every field and says which variable is wrong.
func (c *Config) Validate() error {
	var errs []error
	bad := func(name, format string, a ...any) { errs = append(errs, fmt.Errorf(name+": "+format, a...)) }
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("TESSERA_LISTEN", "want host:port, got %q", c.Listen)
	}
	switch c.DBDriver {
	case "sqlite":
	case "mysql":
		if c.DBDSN == "" {
			bad("TESSERA_DB_DSN", "required when TESSERA_DB_DRIVER=mysql (e.g. user:pass@tcp(127.0.0.1:3306)/tessera)")
		}
	default:
		bad("TESSERA_DB_DRIVER", "want sqlite or mysql, got %q", c.DBDriver)
	}
	if c.DataDir == "" {
		bad("TESSERA_DATA_DIR", "must not be empty")
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("TESSERA_PUBLIC_URL", "want an absolute http(s) URL, got %q", c.PublicURL)
	}
	if !validDomain(c.BootstrapDomain) {
		bad("TESSERA_BOOTSTRAP_DOMAIN", "not a domain name: %q", c.BootstrapDomain)
	}
	if c.secretKeyFromEnvironment && len(c.SecretKey) < 32 {
		bad("TESSERA_SECRET_KEY", "must be at least 32 bytes (e.g. openssl rand -hex 32)")
	}
	if c.SessionTTL < time.Minute || c.SessionTTL > 30*24*time.Hour {
		bad("TESSERA_SESSION_TTL", "must be between 1m and 720h, got %s", c.SessionTTL)
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("TESSERA_TRUSTED_PROXIES", "not an address or CIDR: %q", p)
			}
		}
	}
	if c.TOTPIssuer == "" || len(c.TOTPIssuer) > 64 || strings.ContainsAny(c.TOTPIssuer, ":") {
		bad("TESSERA_TOTP_ISSUER", "1 to 64 characters without a colon, got %q", c.TOTPIssuer)
	}
	for _, p := range c.ProxyAuthAllow {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("TESSERA_PROXY_AUTH_ALLOW", "not an address or CIDR: %q", p)
			}
		}
	}
	for proto, addr := range c.MailUpstreams {
		host, port, err := net.SplitHostPort(addr)
		switch {
		case proto != "imap" && proto != "pop3" && proto != "smtp":
			bad("TESSERA_MAIL_UPSTREAMS", "unknown protocol %q (imap, pop3, smtp)", proto)
		case err != nil || net.ParseIP(host) == nil || port == "":
			// nginx's auth_http protocol needs an IP address in Auth-Server, not a host name.
			bad("TESSERA_MAIL_UPSTREAMS", "%s: want IP:port, got %q", proto, addr)
		}
	}
	if c.EASHeartbeatMin < 10*time.Second || c.EASHeartbeatMax > 3540*time.Second || c.EASHeartbeatMin > c.EASHeartbeatMax {
		bad("TESSERA_EAS_HEARTBEAT_MIN", "want 10s <= min <= max <= 59m, got %s and %s", c.EASHeartbeatMin, c.EASHeartbeatMax)
	}
	if c.BreachedPasswordsFile != "" {
		// A sample of its lines, for format and order: a corrupt or unsorted list would find nothing.
		if b, err := password.OpenBreached(c.BreachedPasswordsFile); err != nil {
			bad("TESSERA_BREACHED_PASSWORDS_FILE", "%v", err)
		} else {
			b.Close()
		}
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			bad("TESSERA_REDIS_URL", "want redis://host:port/db, got %q", c.RedisURL)
		}
	}
	if c.LMTPListen != "" {
		if _, _, err := net.SplitHostPort(c.LMTPListen); err != nil {
			bad("TESSERA_LMTP_LISTEN", "want host:port, got %q", c.LMTPListen)
		}
	}
	for _, l := range []struct{ name, addr string }{
		{"TESSERA_IMAP_LISTEN", c.IMAPListen}, {"TESSERA_IMAPS_LISTEN", c.IMAPSListen},
		{"TESSERA_SUBMISSION_LISTEN", c.SubmissionListen}, {"TESSERA_SUBMISSIONS_LISTEN", c.SubmissionsListen},
		{"TESSERA_POP3_LISTEN", c.POP3Listen}, {"TESSERA_POP3S_LISTEN", c.POP3SListen},
	} {
		if l.addr != "" {
			if _, _, err := net.SplitHostPort(l.addr); err != nil {
				bad(l.name, "want host:port, got %q", l.addr)
			}
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		bad("TESSERA_TLS_CERT", "TESSERA_TLS_CERT and TESSERA_TLS_KEY are set together or not at all")
	}
	if c.IMAPMaxIdle < 1 {
		bad("TESSERA_IMAP_MAX_IDLE", "must be at least 1")
	}
	if c.SMTPRelay != "" {
		if _, _, err := net.SplitHostPort(c.SMTPRelay); err != nil {
			bad("TESSERA_SMTP_RELAY", "want host:port, got %q", c.SMTPRelay)
		}
	}
	if c.EASMaxPings < 1 {
		bad("TESSERA_EAS_MAX_PINGS", "must be at least 1")
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		bad("TESSERA_LOG_FORMAT", "want json or text, got %q", c.LogFormat)
	}
	if c.AuthCacheTTL < 0 || c.AuthCacheTTL > 10*time.Minute {
		bad("TESSERA_AUTH_CACHE_TTL", "want 0 (off) to 10m, got %s", c.AuthCacheTTL)
	}
	if c.Profiling && c.MetricsListen == "" {
		bad("TESSERA_PROFILING", "needs TESSERA_METRICS_LISTEN: the profiler is served only on the metrics listener")
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			bad("TESSERA_METRICS_LISTEN", "want host:port, got %q", c.MetricsListen)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("TESSERA_LOG_LEVEL", "want debug, info, warn or error, got %q", c.LogLevel)
	}
	return errors.Join(errs...)
}

// SecureCookies reports whether cookies get the Secure flag and HSTS is sent.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// SQLiteDSN is the DSN used for SQLite when none is configured.
func (c *Config) SQLiteDSN() string {
	if c.DBDSN != "" {
		return c.DBDSN
	}
	return filepath.Join(c.DataDir, "tessera.db")
}

// Key returns the server secret, creating it once in the data dir when it was not configured.
// Every instance behind a load balancer must share it, so production sets TESSERA_SECRET_KEY.
func (c *Config) Key() ([]byte, error) {
	if c.SecretKey != "" {
		return []byte(c.SecretKey), nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		k := strings.TrimSpace(string(b))
		if len(k) < 32 {
			return nil, fmt.Errorf("%s is shorter than 32 bytes", path)
		}
		c.SecretKey = k
		return []byte(k), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	k := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process won the race; use its key
			return c.Key()
		}
		return nil, err
	}
	defer f.Close()
	if _, err := f.WriteString(k + "\n"); err != nil {
		return nil, err
	}
	c.SecretKey = k
	return []byte(k), nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func validDomain(d string) bool {
	if len(d) < 3 || len(d) > 191 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// ValidDomain reports whether d is a lower-case DNS name usable as a mail domain.
func ValidDomain(d string) bool { return validDomain(d) }
