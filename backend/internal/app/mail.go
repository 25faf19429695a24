package app

import (
	"crypto/tls"
	"log/slog"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/httpapi"
	"github.com/tessera-mail/tessera/backend/internal/tlsconf"
)

// mailState is the mail doors' shared state: the TLS certificate, loaded once (the server,
// the API and the CLI read the same), and the doors Serve opened.
type mailState struct {
	once   sync.Once
	tls    *tlsconf.Manager
	tlsErr error

	mu     sync.Mutex
	opened []Door
}

// mailDoors are the doors in the order a user is shown them: implicit TLS first (RFC 8314
// recommends it), then the STARTTLS port of the same protocol.
var mailDoors = []struct {
	name, protocol string
	implicit       bool
	addr           func(*config.Config) string
}{
	{"imaps", "imap", true, func(c *config.Config) string { return c.IMAPSListen }},
	{"imap", "imap", false, func(c *config.Config) string { return c.IMAPListen }},
	{"pop3s", "pop3", true, func(c *config.Config) string { return c.POP3SListen }},
	{"pop3", "pop3", false, func(c *config.Config) string { return c.POP3Listen }},
	{"submissions", "smtp", true, func(c *config.Config) string { return c.SubmissionsListen }},
	{"submission", "smtp", false, func(c *config.Config) string { return c.SubmissionListen }},
}

// MailDoorsConfigured reports whether any mail door is turned on.
func (a *App) MailDoorsConfigured() bool {
	for _, d := range mailDoors {
		if d.addr(&a.Config) != "" {
			return true
		}
	}
	return false
}

// MailTLS is the mail doors' certificate: TESSERA_TLS_CERT/KEY, or the self-signed one in the
// data directory (generated on the first call of the first start).
func (a *App) MailTLS() (*tlsconf.Manager, error) {
	a.mail.once.Do(func() {
		a.mail.tls, a.mail.tlsErr = tlsconf.Load(tlsconf.Options{
			CertFile: a.Config.TLSCert, KeyFile: a.Config.TLSKey, DataDir: a.Config.DataDir,
			PublicURL: a.Config.PublicURL, Log: a.Log.With("via", "tls"),
		})
	})
	return a.mail.tls, a.mail.tlsErr
}

// MailDoors are the doors Serve opened, with the addresses they listen on (before Serve's
// ready callback, nil).
func (a *App) MailDoors() []Door {
	a.mail.mu.Lock()
	defer a.mail.mu.Unlock()
	return append([]Door(nil), a.mail.opened...)
}

func (a *App) setMailDoors(ds []Door) {
	a.mail.mu.Lock()
	a.mail.opened = ds
	a.mail.mu.Unlock()
}

// MailSettings are the doors as a user types them into a mail app: the public URL's host
// (the name users know; the certificate names it too) with each door's port.
func (a *App) MailSettings() (httpapi.MailSettings, error) {
	out := a.clientSettings()
	if len(out.Doors) == 0 {
		return out, nil
	}
	m, err := a.MailTLS()
	if err != nil {
		return out, err
	}
	out.Certificate = &httpapi.MailCertificate{SelfSigned: m.SelfSigned(), SHA256: m.Fingerprint()}
	return out, nil
}

// clientSettings are MailSettings without the certificate, which is loaded (or made) only
// where it is shown: the command line's DNS records must not create one.
func (a *App) clientSettings() httpapi.MailSettings {
	var out httpapi.MailSettings
	if a.DAV != nil {
		out.DAVURL = a.Config.PublicURL + "/dav/"
	}
	host := a.Config.PublicURL
	if u, err := url.Parse(a.Config.PublicURL); err == nil {
		host = u.Hostname()
	}
	opened := map[string]string{}
	for _, d := range a.MailDoors() {
		opened[d.Name] = d.Addr
	}
	for _, d := range mailDoors {
		addr := d.addr(&a.Config)
		if addr == "" {
			continue
		}
		if o, ok := opened[d.name]; ok {
			addr = o // the port a ":0" door really got
		}
		_, p, err := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(p)
		if err != nil || port == 0 {
			continue
		}
		sec := "starttls"
		if d.implicit {
			sec = "tls"
		}
		out.Doors = append(out.Doors, httpapi.MailDoor{Protocol: d.protocol, Host: host, Port: port, Security: sec})
	}
	return out
}

// openMailDoors loads the certificate and opens every configured door (Serve).
func (a *App) openMailDoors() (closeAll func(), err error) {
	m, err := a.MailTLS()
	if err != nil {
		return nil, err
	}
	opened, closeDoors, err := a.OpenDoors(m.Config())
	if err != nil {
		return nil, err
	}
	for _, d := range opened {
		tls := "starttls"
		if d.ImplicitTLS {
			tls = "implicit"
		}
		a.Log.Info("mail door open", "door", d.Name, "listen", d.Addr, "tls", tls)
	}
	a.setMailDoors(opened)
	return func() { a.setMailDoors(nil); closeDoors() }, nil
}

// doorOrder is the order doors are printed in, whatever order they opened in.
var doorOrder = map[string]int{"imap": 0, "imaps": 1, "submission": 2, "submissions": 3, "pop3": 4, "pop3s": 5}

// doorLabels name the doors as the README and mail apps do.
var doorLabels = map[string]string{"imap": "IMAP", "imaps": "IMAPS", "pop3": "POP3", "pop3s": "POP3S",
	"submission": "Submission", "submissions": "Submissions"}

// DoorsLine is the open doors for the operator: "IMAP 127.0.0.1:1143 (STARTTLS), IMAPS ...".
func DoorsLine(doors []Door) string {
	ds := append([]Door(nil), doors...)
	sort.SliceStable(ds, func(i, j int) bool { return doorOrder[ds[i].Name] < doorOrder[ds[j].Name] })
	parts := make([]string, len(ds))
	for i, d := range ds {
		label := doorLabels[d.Name]
		if label == "" {
			label = d.Name
		}
		parts[i] = label + " " + d.Addr
		switch {
		case d.ImplicitTLS:
		case strings.HasPrefix(d.Name, "pop3"):
			parts[i] += " (STLS)"
		default:
			parts[i] += " (STARTTLS)"
		}
	}
	return strings.Join(parts, ", ")
}

// signProfile signs Apple profiles with the operator's certificate (TESSERA_TLS_CERT); with the
// generated self-signed one they stay unsigned, as a signature no device can check proves
// nothing. The pair is loaded on its own (not through App.MailTLS, which needs the App), and
// re-read for each profile, so a renewed certificate signs the next one.
func signProfile(cfg config.Config, log *slog.Logger) func([]byte) ([]byte, error) {
	if cfg.TLSCert == "" || cfg.TLSKey == "" {
		return nil
	}
	return func(profile []byte) ([]byte, error) {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			log.Warn("apple profile: certificate does not load; the profile stays unsigned", "err", err)
			return nil, nil
		}
		return appleprofile.Sign(profile, &cert)
	}
}
