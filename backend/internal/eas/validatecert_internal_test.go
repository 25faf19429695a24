package eas

import (
	"os"
	"path/filepath"
	"testing"
)

// TESSERA_EAS_SMIME_ROOTS must name a readable PEM file with certificates: anything else stops
// the server at start rather than leaving ValidateCert to trust less than the operator meant.
func TestLoadCertRoots(t *testing.T) {
	if pool, err := LoadCertRoots(""); pool != nil || err != nil {
		t.Fatalf("unset: %v %v", pool, err)
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.pem")
	os.WriteFile(empty, []byte("no certificates here\n"), 0o600)
	broken := filepath.Join(dir, "broken.pem")
	os.WriteFile(broken, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600)
	for _, f := range []string{filepath.Join(dir, "missing.pem"), empty, broken} {
		if _, err := LoadCertRoots(f); err == nil {
			t.Errorf("%s accepted", filepath.Base(f))
		}
	}
}
