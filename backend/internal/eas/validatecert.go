package eas

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// ValidateCert statuses of MS-ASCMD 2.2.3.177.18 (the per-certificate ones this server can tell
// apart; 12 needs the sender's address, which the request does not carry, and 13–16 need
// revocation data, see CheckCRL below).
const (
	certOK            = "1"
	certProtocolError = "2"
	certBadSignature  = "3"
	certUntrusted     = "4"
	certBadChain      = "5"
	certNotForEmail   = "6"
	certExpired       = "7"
	certChainExpired  = "8"
	certBadInfo       = "10"
	certCAMisused     = "11"
	certServerError   = "17"
)

// maxValidateCerts bounds the certificates of one request, chain included: each costs a
// signature check or more, and a phone validates the handful of one S/MIME signature.
const maxValidateCerts = 32

// validateCert checks each certificate of Certificates (an S/MIME signer's, as received) with Go's
// crypto/x509: the chain must lead, through the CertificateChain the device sends (intermediates;
// a root it sends is not believed for being sent), to a root the server trusts (the system's and
// TESSERA_EAS_SMIME_ROOTS), each certificate within its validity and the leaf good for e-mail
// protection. CheckCRL is read but revocation is not checked: that needs CRL or OCSP fetches from
// the server to the CAs' URLs, which a mail server inside a network must not be made to do on a
// phone's say-so; a revoked certificate is therefore reported by its chain and dates alone.
func (s *Server) validateCert(_ context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("ValidateCert:ValidateCert")
	if c.body == nil || c.body.Name != "ValidateCert:ValidateCert" {
		return resp.Add(wbxml.NewText("Status", certProtocolError)), nil
	}
	certs := c.body.Child("Certificates").All("Certificate")
	chain := c.body.Child("CertificateChain").All("Certificate")
	if len(certs) == 0 || len(certs)+len(chain) > maxValidateCerts {
		return resp.Add(wbxml.NewText("Status", certProtocolError)), nil
	}
	intermediates := x509.NewCertPool()
	var sent []*x509.Certificate
	for _, n := range chain {
		// A chain member that does not parse is left out: the certificates that needed it fail
		// on their own, with the status that says why.
		if cert, err := parseCertificate(n.Value()); err == nil {
			intermediates.AddCert(cert)
			sent = append(sent, cert)
		}
	}
	resp.Add(wbxml.NewText("Status", certOK))
	for _, n := range certs {
		resp.Add(wbxml.New("Certificate", wbxml.NewText("Status", s.certStatus(n.Value(), intermediates, sent))))
	}
	return resp, nil
}

// certStatus verifies one base64 certificate and names the first problem as MS-ASCMD does.
func (s *Server) certStatus(b64 string, intermediates *x509.CertPool, sent []*x509.Certificate) string {
	cert, err := parseCertificate(b64)
	if err != nil {
		return certBadInfo
	}
	_, err = cert.Verify(x509.VerifyOptions{Roots: s.opts.CertRoots, Intermediates: intermediates,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}, CurrentTime: s.now()})
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	var noRoots x509.SystemRootsError
	switch {
	case err == nil:
		return certOK
	case errors.As(err, &invalid):
		switch invalid.Reason {
		case x509.Expired:
			if invalid.Cert != nil && !invalid.Cert.Equal(cert) {
				return certChainExpired // an intermediate's validity, not the signer's own
			}
			return certExpired
		case x509.IncompatibleUsage:
			return certNotForEmail
		case x509.NotAuthorizedToSign:
			return certCAMisused
		case x509.TooManyIntermediates, x509.CANotAuthorizedForThisName, x509.CANotAuthorizedForExtKeyUsage,
			x509.NameConstraintsWithoutSANs, x509.UnconstrainedName:
			return certBadChain
		}
		return certBadInfo
	case errors.As(err, &unknown):
		return unknownIssuer(cert, sent)
	case errors.As(err, &noRoots):
		return certServerError // this server has no roots to check against
	}
	return certBadInfo
}

// unknownIssuer tells apart why x509 found no path to a trusted root: certificates the device
// sent (or cert itself, when self-issued) bear the name of cert's issuer but none of their keys
// verifies its signature (tampered with: 3); one does, but it is no CA (a leaf used to sign:
// 11); or the issuer is simply not trusted (4).
func unknownIssuer(cert *x509.Certificate, sent []*x509.Certificate) string {
	status := certUntrusted
	for _, issuer := range append(sent, cert) {
		if !bytes.Equal(issuer.RawSubject, cert.RawIssuer) {
			continue
		}
		if issuer.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) != nil {
			status = certBadSignature
			continue
		}
		if issuer != cert && !(issuer.BasicConstraintsValid && issuer.IsCA) {
			return certCAMisused
		}
		return certUntrusted
	}
	return status
}

// parseCertificate reads a base64 DER certificate (MS-ASCMD Certificate), spaces and line
// breaks allowed.
func parseCertificate(b64 string) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// LoadCertRoots is the system's roots plus the PEM certificates in file (TESSERA_EAS_SMIME_ROOTS:
// an organisation's own S/MIME CA); "" gives nil, which x509 reads as the system's roots.
func LoadCertRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	n := 0
	for block, rest := pem.Decode(raw); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: certificate %d: %w", file, n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: no PEM certificate", file)
	}
	return pool, nil
}
