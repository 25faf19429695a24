package tlsconf

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultCheckEvery is how often, at most, the certificate files are looked at for a change.
const DefaultCheckEvery = 5 * time.Second

// Options say where the certificate comes from.
type Options struct {
	CertFile, KeyFile string // both set: the operator's certificate; both empty: self-signed
	DataDir           string // where a self-signed certificate is kept
	PublicURL         string // its host is the self-signed certificate's first name
	CheckEvery        time.Duration
	Log               *slog.Logger
	now               func() time.Time
}

// Manager serves the current certificate and reloads it when its files change.
type Manager struct {
	certFile, keyFile string
	selfSigned        bool
	every             time.Duration
	log               *slog.Logger
	now               func() time.Time

	mu       sync.Mutex
	cert     *tls.Certificate
	stamp    fileStamp // of the files the current certificate (or the last failed try) came from
	lastLook time.Time
}

// fileStamp tells whether a file changed: its modification time and size.
type fileStamp struct {
	certMod, keyMod   time.Time
	certSize, keySize int64
}

// Load reads (or first generates) the certificate.
func Load(o Options) (*Manager, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.CheckEvery <= 0 {
		o.CheckEvery = DefaultCheckEvery
	}
	m := &Manager{certFile: o.CertFile, keyFile: o.KeyFile, every: o.CheckEvery, log: o.Log, now: o.now}
	if (o.CertFile == "") != (o.KeyFile == "") {
		return nil, errors.New("TESSERA_TLS_CERT and TESSERA_TLS_KEY are set together or not at all")
	}
	if o.CertFile == "" {
		m.selfSigned = true
		m.certFile, m.keyFile = filepath.Join(o.DataDir, SelfSignedCert), filepath.Join(o.DataDir, SelfSignedKey)
		if err := ensureSelfSigned(o.DataDir, o.PublicURL, o.now(), o.Log); err != nil {
			return nil, err
		}
	}
	st, err := m.stampNow()
	if err != nil {
		return nil, err
	}
	cert, err := loadPair(m.certFile, m.keyFile)
	if err != nil {
		return nil, err
	}
	m.cert, m.stamp, m.lastLook = cert, st, o.now()
	return m, nil
}

// Config is a server configuration serving the current certificate, TLS 1.2 and newer.
func (m *Manager) Config() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return m.current(), nil
		},
	}
}

// SelfSigned reports whether the certificate is the generated one (users must compare its
// fingerprint, no authority vouches for it).
func (m *Manager) SelfSigned() bool { return m.selfSigned }

// CertFile is the certificate's path (the generated one's when self-signed).
func (m *Manager) CertFile() string { return m.certFile }

// Fingerprint is the SHA-256 of the current leaf certificate, as AB:CD:... (what mail clients
// and openssl x509 -fingerprint -sha256 show).
func (m *Manager) Fingerprint() string {
	return Fingerprint(m.current().Certificate[0])
}

// Fingerprint formats the SHA-256 of a DER certificate as upper-case hex pairs with colons.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// current returns the certificate, first reloading it if the files changed since the last look
// (looking at most every m.every).
func (m *Manager) current() *tls.Certificate {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if now.Sub(m.lastLook) < m.every {
		return m.cert
	}
	m.lastLook = now
	st, err := m.stampNow()
	if err != nil {
		if st != m.stamp { // log a missing file once, not on every handshake
			m.log.Error("TLS certificate files unreadable; keeping the loaded certificate", "err", err)
			m.stamp = st
		}
		return m.cert
	}
	if st == m.stamp {
		return m.cert
	}
	m.stamp = st // a broken pair is tried again only when the files change again
	cert, err := loadPair(m.certFile, m.keyFile)
	if err != nil {
		m.log.Error("TLS certificate changed but does not load; keeping the previous one", "cert", m.certFile, "err", err)
		return m.cert
	}
	m.cert = cert
	m.log.Info("TLS certificate reloaded", "cert", m.certFile, "sha256", Fingerprint(cert.Certificate[0]))
	return m.cert
}

func (m *Manager) stampNow() (fileStamp, error) {
	ci, err := os.Stat(m.certFile)
	if err != nil {
		return fileStamp{}, fmt.Errorf("TLS certificate: %w", err)
	}
	ki, err := os.Stat(m.keyFile)
	if err != nil {
		return fileStamp{certMod: ci.ModTime(), certSize: ci.Size()}, fmt.Errorf("TLS key: %w", err)
	}
	return fileStamp{certMod: ci.ModTime(), certSize: ci.Size(), keyMod: ki.ModTime(), keySize: ki.Size()}, nil
}

func loadPair(certFile, keyFile string) (*tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s with key %s: %w", certFile, keyFile, err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("TLS certificate %s: %w", certFile, err)
		}
	}
	return &cert, nil
}
