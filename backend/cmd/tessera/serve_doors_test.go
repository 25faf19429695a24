package main_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// What a newcomer reads after `make run`: the open doors, the self-signed certificate with the
// fingerprint of the file and of what the door presents, and where the password a mail app
// takes comes from.
func TestServePrintsMailDoors(t *testing.T) {
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: ""})
	imaps := freeTCPPort(t)
	c.env = append(c.env, "TESSERA_LISTEN=127.0.0.1:0", "TESSERA_PUBLIC_URL=http://127.0.0.1:8080/",
		fmt.Sprintf("TESSERA_IMAPS_LISTEN=127.0.0.1:%d", imaps))
	_, _, out := serve(t, c.env)
	hint := "Mail apps log in with the account's address and an application passcode made at http://127.0.0.1:8080/settings/app-passcodes\n"
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), hint); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no line %q in:\n%s", hint, out.String())
		}
	}
	if !strings.Contains(out.String(), fmt.Sprintf("Mail doors: IMAPS 127.0.0.1:%d\n", imaps)) {
		t.Fatalf("no doors line in:\n%s", out.String())
	}

	m := regexp.MustCompile(`Certificate \(self-signed, (\S+)\) SHA-256 ([0-9A-F:]{95})\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no certificate line in:\n%s", out.String())
	}
	dir := ""
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "TESSERA_DATA_DIR="); ok {
			dir = v
		}
	}
	if m[1] != filepath.Join(dir, "tls-cert.pem") {
		t.Fatalf("certificate file %s, want the data dir's tls-cert.pem", m[1])
	}
	raw, err := os.ReadFile(m[1])
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("%s holds no PEM", m[1])
	}
	if got := colonHex(sha256.Sum256(block.Bytes)); got != m[2] {
		t.Fatalf("printed fingerprint %s, the file's is %s", m[2], got)
	}
	conn, err := tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", imaps), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := colonHex(sha256.Sum256(conn.ConnectionState().PeerCertificates[0].Raw)); got != m[2] {
		t.Fatalf("printed fingerprint %s, the IMAPS door presents %s", m[2], got)
	}
}

func colonHex(sum [32]byte) string {
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
