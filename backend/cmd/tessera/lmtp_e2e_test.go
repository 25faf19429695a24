package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os/exec"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// The real binary with LMTP on: swaks delivers, and a phone syncing over EAS gets the message.
func TestLMTPToEAS(t *testing.T) {
	swaks := testenv.RequireTool(t, "swaks", "swaks")
	lmtpPort := freeTCPPort(t)
	c := newCLI(t, storetest.Backend{Driver: "sqlite", DSN: ""})
	const pw = "Harbor-Lantern-Pass-84"
	c.env = append(c.env, "TESSERA_LISTEN=127.0.0.1:0", "TESSERA_BOOTSTRAP_ADMIN_PASSWORD="+pw,
		fmt.Sprintf("TESSERA_LMTP_LISTEN=127.0.0.1:%d", lmtpPort))
	base, _, _ := serve(t, c.env)
	c.ok("config", "set", "securityNotices", "none") // the phone expects the LMTP message only

	// An EAS password through the API, as a user would make one.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"username": "admin@example.com", "password": pw})
	resp, err := hc.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp)
	}
	csrf := ""
	for _, ck := range resp.Cookies() {
		if ck.Name == "tessera_csrf" {
			csrf = ck.Value
		}
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/credentials", strings.NewReader(`{"kind":"eas","label":"Phone"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err = hc.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create EAS password: %v %v", err, resp)
	}
	var created struct{ Secret struct{ Password string } }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()

	p := &easclient.Client{BaseURL: base, User: "admin@example.com", Pass: created.Secret.Password, DeviceID: "lmtptest", DeviceType: "iPhone", Version: "14.1"}
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs, _ := p.FolderSync("0")
	inbox := ""
	for _, a := range fs.Body.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			inbox = a.TextOf("ServerId")
		}
	}
	r, _ := p.SyncOne(inbox, "0")
	key := easclient.Collection(r.Body, inbox).TextOf("AirSync:SyncKey")

	msg := "From: someone@example.org\r\nTo: admin@example.com\r\nSubject: Delivered over LMTP\r\n\r\nHello from swaks.\r\n"
	sw := exec.Command(swaks, "--protocol", "LMTP", "--server", "127.0.0.1", "--port", fmt.Sprint(lmtpPort),
		"--from", "someone@example.org", "--to", "admin@example.com,nobody@example.com", "--data", "-")
	sw.Stdin = strings.NewReader(msg)
	swOut, _ := sw.CombinedOutput()
	if !strings.Contains(string(swOut), "250 2.0.0") || !strings.Contains(string(swOut), "550 5.1.1") {
		t.Fatalf("swaks:\n%s", swOut)
	}
	r, err = p.SyncOne(inbox, key)
	if err != nil || r.Body == nil {
		t.Fatalf("Sync after delivery: %v", err)
	}
	add := easclient.Collection(r.Body, inbox).Child("AirSync:Commands").Child("AirSync:Add")
	if got := add.Child("AirSync:ApplicationData").TextOf("Email:Subject"); got != "Delivered over LMTP" {
		t.Fatalf("the phone got %q:\n%s", got, r.Body)
	}
}

// freeTCPPort picks a port the binary can listen on. Not one the kernel hands out for port 0:
// those come from the ephemeral range, which outgoing connections of every other test share, so
// under load one of them could take it before the binary binds (seen once). Ports below that
// range (Linux: from 32768) are only ever taken by a listener asking for that number.
func freeTCPPort(t *testing.T) int {
	for i := 0; i < 200; i++ {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			l.Close()
			return port
		}
	}
	t.Fatal("no free port below the ephemeral range")
	return 0
}
