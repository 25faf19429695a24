package main_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// Two tessera serve processes on one MariaDB and one Redis: a delivery through instance B wakes
// a Ping held on instance A, a credential disabled on B is refused on A at once (held Ping
// and new request), a folder made on B reaches FolderSync on A, and failed logins on A count on B.
func TestTwoInstances(t *testing.T) {
	testenv.RequireMySQL(t)
	// Its own Redis database (14): it is flushed first, so brute-force counters of an earlier
	// run cannot throttle this one, and the other Redis tests (database 15) are left alone.
	redisURL := "redis://127.0.0.1:6379/14"
	if u := os.Getenv("TESSERA_TEST_REDIS_URL"); u != "" {
		if o, err := redis.ParseURL(u); err == nil {
			redisURL = "redis://" + o.Addr + "/14"
		}
	}
	opts, _ := redis.ParseURL(redisURL)
	rc := redis.NewClient(opts)
	testenv.RequireRedis(t, rc.Ping(t.Context()).Err())
	rc.FlushDB(t.Context())
	rc.Close()
	dsn := storetest.MySQL(t)
	const pw = "Harbor-Lantern-Pass-84"
	env := append(os.Environ(), "TESSERA_DB_DRIVER=mysql", "TESSERA_DB_DSN="+dsn, "TESSERA_REDIS_URL="+redisURL,
		"TESSERA_SECRET_KEY=two-instances-share-this-secret-key-0123456789", "TESSERA_BOOTSTRAP_ADMIN_PASSWORD="+pw,
		"TESSERA_LISTEN=127.0.0.1:0", "TESSERA_DATA_DIR="+t.TempDir())
	start := func() string { base, _, _ := serve(t, env); return base }
	a, b := start(), start()
	// The delivery below is an admin route; this admin has no OTP entry. Set through the CLI
	// while both servers run: they read it on the next admin request.
	cfgCmd := exec.Command(bin, "config", "set", "adminRequireTwoFactor", "false")
	cfgCmd.Env = env
	if out, err := cfgCmd.CombinedOutput(); err != nil {
		t.Fatalf("config set: %v %s", err, out)
	}
	// No security notices: one arriving in the Inbox would answer the Pings below.
	cfgCmd = exec.Command(bin, "config", "set", "securityNotices", "none")
	cfgCmd.Env = env
	if out, err := cfgCmd.CombinedOutput(); err != nil {
		t.Fatalf("config set: %v %s", err, out)
	}

	login := func(base, user, pass string) (*http.Client, string, int) {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar}
		body, _ := json.Marshal(map[string]string{"username": user, "password": pass})
		resp, err := hc.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csrf := ""
		for _, ck := range resp.Cookies() {
			if ck.Name == "tessera_csrf" {
				csrf = ck.Value
			}
		}
		return hc, csrf, resp.StatusCode
	}
	hc, csrf, code := login(a, "admin@example.com", pw)
	if code != 200 {
		t.Fatalf("login on A: %d", code)
	}
	req, _ := http.NewRequest("POST", a+"/api/v1/credentials", strings.NewReader(`{"kind":"eas","label":"Phone"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := hc.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("EAS password: %v %v", err, resp)
	}
	var created struct{ Secret struct{ Password string } }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()

	// Revocation across instances: a Ping held on A with an EAS password that an admin disables
	// on B answers 401 within a second.
	req, _ = http.NewRequest("POST", a+"/api/v1/credentials", strings.NewReader(`{"kind":"eas","label":"Tablet"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err = hc.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("second EAS password: %v %v", err, resp)
	}
	var tablet struct {
		Credential struct{ ID uint64 }
		Secret     struct{ Password string }
	}
	json.NewDecoder(resp.Body).Decode(&tablet)
	resp.Body.Close()
	tp := &easclient.Client{BaseURL: a, User: "admin@example.com", Pass: tablet.Secret.Password, DeviceID: "twoinstrev", DeviceType: "iPad", Version: "14.1"}
	if _, err := tp.Provision(); err != nil {
		t.Fatal(err)
	}
	tfs, _ := tp.FolderSync("0")
	for _, add := range tfs.Body.Child("Changes").All("Add") {
		if add.TextOf("Type") == "2" {
			tp.SyncOne(add.TextOf("ServerId"), "0")
			revoked := make(chan *easclient.Response, 1)
			go func() {
				r, _ := tp.Do("Ping", wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", "300"),
					wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", add.TextOf("ServerId")), wbxml.NewText("Class", "Email")))))
				revoked <- r
			}()
			time.Sleep(500 * time.Millisecond)
			hb, csrfB, _ := login(b, "admin@example.com", pw)
			req, _ = http.NewRequest("PATCH", b+"/api/v1/admin/credentials/"+strconv.FormatUint(tablet.Credential.ID, 10), strings.NewReader(`{"status":"disabled"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", csrfB)
			disabled := time.Now()
			if resp, err = hb.Do(req); err != nil || resp.StatusCode != 200 {
				t.Fatalf("disable on B: %v %v", err, resp)
			}
			resp.Body.Close()
			select {
			case r := <-revoked:
				if r == nil || r.HTTPStatus != http.StatusUnauthorized {
					t.Fatalf("Ping on A after its credential was disabled on B: %+v, want HTTP 401", r)
				}
				t.Logf("Ping on A ended %v after its credential was disabled on B", time.Since(disabled).Round(time.Millisecond))
			case <-time.After(time.Second):
				t.Fatal("disabling a credential on B did not end the Ping held with it on A within a second")
			}
			// A had kept the tablet's grant in memory (its last requests passed): the change
			// from B dropped it, so a plain request is refused too, not only the held Ping.
			if r, err := tp.FolderSync("0"); err != nil || r.HTTPStatus != http.StatusUnauthorized {
				t.Fatalf("a request on A after its credential was disabled on B: %v %+v, want HTTP 401", err, r)
			}
		}
	}

	// A phone holds a Ping on A.
	p := &easclient.Client{BaseURL: a, User: "admin@example.com", Pass: created.Secret.Password, DeviceID: "twoinst", DeviceType: "iPhone", Version: "14.1"}
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs, _ := p.FolderSync("0")
	inbox := ""
	for _, add := range fs.Body.Child("Changes").All("Add") {
		if add.TextOf("Type") == "2" {
			inbox = add.TextOf("ServerId")
		}
	}
	p.SyncOne(inbox, "0")
	done := make(chan *easclient.Response, 1)
	go func() {
		r, _ := p.Do("Ping", wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", "300"),
			wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", inbox), wbxml.NewText("Class", "Email")))))
		done <- r
	}()
	time.Sleep(500 * time.Millisecond)
	// A delivery through B.
	hb, csrfB, _ := login(b, "admin@example.com", pw)
	msg := "From: x@example.org\r\nTo: admin@example.com\r\nSubject: Through B\r\n\r\nhi\r\n"
	req, _ = http.NewRequest("POST", b+"/api/v1/admin/accounts/admin@example.com/messages", strings.NewReader(msg))
	req.Header.Set("Content-Type", "message/rfc822")
	req.Header.Set("X-CSRF-Token", csrfB)
	delivered := time.Now()
	resp, err = hb.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("deliver on B: %v %v", err, resp)
	}
	resp.Body.Close()
	select {
	case r := <-done:
		if r == nil || r.Body.TextOf("Status") != "2" {
			t.Fatalf("Ping on A: %v", r)
		}
		t.Logf("Ping on A woke %v after the delivery on B", time.Since(delivered).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("a delivery on B did not wake the Ping on A")
	}

	// A folder made on B (another phone of the account) reaches FolderSync on A, which keeps
	// the account's folder tree in memory: B's change notice drops it.
	hkey := fs.Body.TextOf("SyncKey")
	if r, err := p.FolderSync(hkey); err != nil || r.Body.Child("Changes").TextOf("Count") != "0" {
		t.Fatalf("FolderSync on A before: %v %+v", err, r)
	}
	pb := &easclient.Client{BaseURL: b, User: "admin@example.com", Pass: created.Secret.Password, DeviceID: "twoinstb", DeviceType: "iPhone", Version: "14.1"}
	if _, err := pb.Provision(); err != nil {
		t.Fatal(err)
	}
	bfs, _ := pb.FolderSync("0")
	fc, err := pb.Do("FolderCreate", wbxml.New("FolderHierarchy:FolderCreate", wbxml.NewText("SyncKey", bfs.Body.TextOf("SyncKey")),
		wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Made on B"), wbxml.NewText("Type", "12")))
	if err != nil || fc.Body.TextOf("Status") != "1" {
		t.Fatalf("FolderCreate on B: %v %+v", err, fc)
	}
	created2 := time.Now()
	for {
		r, err := p.FolderSync(hkey)
		if err != nil || r.Body == nil {
			t.Fatalf("FolderSync on A: %v %+v", err, r)
		}
		if add := r.Body.Child("Changes").Child("Add"); add != nil {
			if add.TextOf("DisplayName") != "Made on B" {
				t.Fatalf("FolderSync on A after B's FolderCreate: %s", r.Body)
			}
			t.Logf("FolderSync on A saw B's new folder %v after it was made", time.Since(created2).Round(time.Millisecond))
			break
		}
		if time.Since(created2) > time.Second {
			t.Fatal("a folder made on B did not reach FolderSync on A within a second")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Failed logins on A count on B: the sixth attempt, on B, is throttled.
	for i := 0; i < 5; i++ {
		if _, _, code := login(a, "admin@example.com", "Wrong-Password-1!"); code != 401 {
			t.Fatalf("failure %d on A: %d", i+1, code)
		}
	}
	if _, _, code := login(b, "admin@example.com", pw); code != 429 {
		t.Fatalf("sixth attempt on B: %d, want 429", code)
	}
}
