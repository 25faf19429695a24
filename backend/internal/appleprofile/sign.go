package appleprofile

import (
	"crypto/tls"
	"crypto/x509"
	"errors"

	"github.com/smallstep/pkcs7"
)

// Sign wraps a profile in CMS SignedData (the content attached, SHA-256), signed with a TLS
// certificate's key, the chain included: what iOS and macOS check to show a profile's signer
// as verified.
func Sign(profile []byte, cert *tls.Certificate) ([]byte, error) {
	if cert == nil || len(cert.Certificate) == 0 || cert.PrivateKey == nil {
		return nil, errors.New("appleprofile: no certificate to sign with")
	}
	chain := make([]*x509.Certificate, len(cert.Certificate))
	for i, der := range cert.Certificate {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		chain[i] = c
	}
	sd, err := pkcs7.NewSignedData(profile)
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256) // the library's default is SHA-1
	if err := sd.AddSignerChain(chain[0], cert.PrivateKey, chain[1:], pkcs7.SignerInfoConfig{}); err != nil {
		return nil, err
	}
	for _, c := range chain[1:] {
		sd.AddCertificate(c)
	}
	return sd.Finish()
}
