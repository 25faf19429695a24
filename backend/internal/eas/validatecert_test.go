package eas_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// testCA issues certificates for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var serial int64

// issue makes a certificate for name signed by parent (nil: self-signed).
func issue(t *testing.T, name string, parent *testCA, ca bool, from, until time.Time, usage ...x509.ExtKeyUsage) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name}, NotBefore: from, NotAfter: until,
		BasicConstraintsValid: true, IsCA: ca, ExtKeyUsage: usage, EmailAddresses: []string{"anna@example.org"}}
	if ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		tmpl.EmailAddresses = nil
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	signer, signKey := tmpl, key
	if parent != nil {
		signer, signKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key}
}

func (c *testCA) b64() string { return base64.StdEncoding.EncodeToString(c.cert.Raw) }

// ValidateCert: each certificate gets its own Status from a real chain check against the roots
// the server trusts (TESSERA_EAS_SMIME_ROOTS here), through the intermediates the phone sends.
func TestEASValidateCert(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		now := time.Now()
		year := now.AddDate(1, 0, 0)
		root := issue(t, "Example Root CA", nil, true, now.Add(-time.Hour), year)
		inter := issue(t, "Example S/MIME CA", root, true, now.Add(-time.Hour), year)
		signer := issue(t, "Anna Berg", inter, false, now.Add(-time.Hour), year, x509.ExtKeyUsageEmailProtection)
		selfSigned := issue(t, "Mallory", nil, false, now.Add(-time.Hour), year, x509.ExtKeyUsageEmailProtection)
		expired := issue(t, "Old Anna", inter, false, now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0), x509.ExtKeyUsageEmailProtection)
		tlsOnly := issue(t, "www.example.org", inter, false, now.Add(-time.Hour), year, x509.ExtKeyUsageServerAuth)
		// A root the phone sends itself is no reason to trust what it signed.
		ownRoot := issue(t, "Mallory Root", nil, true, now.Add(-time.Hour), year)
		byOwnRoot := issue(t, "Mallory Signer", ownRoot, false, now.Add(-time.Hour), year, x509.ExtKeyUsageEmailProtection)
		// A certificate whose signature was tampered with after issue.
		tampered := *signer.cert
		tampered.Raw = append([]byte(nil), signer.cert.Raw...)
		tampered.Raw[len(tampered.Raw)-3] ^= 0xff
		tamperedB64 := base64.StdEncoding.EncodeToString(tampered.Raw)

		pemFile := filepath.Join(t.TempDir(), "roots.pem")
		if err := os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.cert.Raw}), 0o600); err != nil {
			t.Fatal(err)
		}
		s := apptest.Start(t, b, apptest.Options{SMIMERoots: pemFile})
		p, _ := eastest.Provisioned(t, s, "dev1")
		validate := func(chain []string, certs ...string) *wbxml.Node {
			t.Helper()
			req := wbxml.New("ValidateCert:ValidateCert")
			if chain != nil {
				cc := wbxml.New("CertificateChain")
				for _, c := range chain {
					cc.Add(wbxml.NewText("Certificate", c))
				}
				req.Add(cc)
			}
			list := wbxml.New("Certificates")
			for _, c := range certs {
				list.Add(wbxml.NewText("Certificate", c))
			}
			req.Add(list, wbxml.NewText("CheckCRL", "1"))
			r := eastest.OK(t)(p.Do("ValidateCert", req))
			eastest.LibwbxmlDecodes(t, r.Raw, "ValidateCert")
			return r.Body
		}
		statuses := func(n *wbxml.Node) string {
			var out []string
			for _, c := range n.All("Certificate") {
				out = append(out, c.TextOf("Status"))
			}
			return n.TextOf("Status") + ":" + strings.Join(out, ",")
		}
		chain := []string{inter.b64()}
		for _, tc := range []struct {
			name  string
			chain []string
			certs []string
			want  string
		}{
			{"signed by the CA in the chain, under a trusted root", chain, []string{signer.b64()}, "1:1"},
			{"without the intermediate the chain cannot be built", nil, []string{signer.b64()}, "1:4"},
			{"self-signed", chain, []string{selfSigned.b64()}, "1:4"},
			{"under a root the phone sent itself", []string{ownRoot.b64()}, []string{byOwnRoot.b64()}, "1:4"},
			{"expired", chain, []string{expired.b64()}, "1:7"},
			{"not for e-mail", chain, []string{tlsOnly.b64()}, "1:6"},
			{"signature tampered with", chain, []string{tamperedB64}, "1:3"},
			{"garbage", chain, []string{"Z2FyYmFnZQ==", "not base64 !"}, "1:10,10"},
			{"several at once, each its own status", chain, []string{signer.b64(), selfSigned.b64(), expired.b64()}, "1:1,4,7"},
			{"a leaf used as a CA", []string{signer.b64()}, []string{issue(t, "Under a leaf", signer, false, now.Add(-time.Hour), year).b64()}, "1:11"},
		} {
			if got := statuses(validate(tc.chain, tc.certs...)); got != tc.want {
				t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
			}
		}
		// No certificate at all is a protocol error of the whole command.
		if r := eastest.OK(t)(p.Do("ValidateCert", wbxml.New("ValidateCert:ValidateCert"))); r.Body.TextOf("Status") != "2" {
			t.Errorf("no certificate: %s", r.Body)
		}

		// OPTIONS advertises ValidateCert, and every version the server accepts, 16.0 included.
		req, _ := http.NewRequest("OPTIONS", s.URL+"/Microsoft-Server-ActiveSync", nil)
		req.SetBasicAuth(p.User, p.Pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if v := resp.Header.Get("MS-ASProtocolVersions"); v != "12.1,14.0,14.1,16.0,16.1" {
			t.Errorf("MS-ASProtocolVersions: %q", v)
		}
		if !strings.Contains(resp.Header.Get("MS-ASProtocolCommands"), "ValidateCert") {
			t.Errorf("MS-ASProtocolCommands: %q", resp.Header.Get("MS-ASProtocolCommands"))
		}
	})
}
