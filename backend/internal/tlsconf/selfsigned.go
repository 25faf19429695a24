package tlsconf

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// The generated certificate's files in the data directory.
const (
	SelfSignedCert = "tls-cert.pem"
	SelfSignedKey  = "tls-key.pem"
)

// selfSignedLifetime: about two years; renewed on a start within renewBefore of its end.
const (
	selfSignedLifetime = 2 * 365 * 24 * time.Hour
	renewBefore        = 30 * 24 * time.Hour
)

// ensureSelfSigned keeps the generated certificate when it still loads, is not about to
// expire and names the public URL's host; otherwise it makes a new one. Keeping it matters:
// users compared its fingerprint once and their mail apps remember it.
func ensureSelfSigned(dir, publicURL string, now time.Time, log *slog.Logger) error {
	host := hostOf(publicURL)
	certFile, keyFile := filepath.Join(dir, SelfSignedCert), filepath.Join(dir, SelfSignedKey)
	if _, err := os.Stat(certFile); err == nil {
		cert, err := loadPair(certFile, keyFile)
		switch {
		case err != nil:
			log.Warn("the generated TLS certificate does not load; making a new one", "err", err)
		case now.Add(renewBefore).After(cert.Leaf.NotAfter):
			log.Info("the generated TLS certificate is about to expire; making a new one", "not_after", cert.Leaf.NotAfter)
		case host != "" && cert.Leaf.VerifyHostname(host) != nil:
			log.Info("the public URL's host is not in the generated TLS certificate; making a new one", "host", host)
		default:
			return nil
		}
	}
	return generate(dir, host, now)
}

// generate writes a self-signed ECDSA P-256 certificate for host, localhost and the loopback
// addresses.
func generate(dir, host string, now time.Time) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cmp(host, "localhost"), Organization: []string{"Tessera (self-signed)"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(selfSignedLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			tmpl.IPAddresses = append([]net.IP{ip}, tmpl.IPAddresses...)
		}
	} else if host != "" && host != "localhost" {
		tmpl.DNSNames = append([]string{host}, tmpl.DNSNames...)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	// The key first: a crash between the two writes leaves a pair that does not load, which
	// the next start replaces, never a certificate whose key is lost.
	if err := writeAtomic(filepath.Join(dir, SelfSignedKey), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, SelfSignedCert), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tls-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// hostOf is the host name of a URL without port or brackets ("" when it has none).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
