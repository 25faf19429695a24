package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const victimPw = "Harbor-Lantern-Pass-84"

// Issue 13 item 2: wrong web-login guesses at a victim's account from an attacker's address.
// Before the fix the per-account counter they filled refused the victim everywhere: the
// phone's own EAS password (503), the known browser, the mail client at home. Now only new
// clients wait on it: the attacker (and anyone at a new address) is slowed exactly as before.
// On every engine, with the in-memory counters and with Redis.
func TestGuessesDoNotLockOutTheVictim(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		for _, limiter := range []string{"memory", "redis"} {
			t.Run(limiter, func(t *testing.T) {
				redisURL := ""
				if limiter == "redis" {
					redisURL = testRedisURL(t)
				}
				for _, guesses := range []int{12, 30} {
					t.Run(strconv.Itoa(guesses)+" guesses", func(t *testing.T) { victimScenario(t, b, redisURL, guesses) })
				}
			})
		}
	})
}

func victimScenario(t *testing.T, b storetest.Backend, redisURL string, guesses int) {
	v := newVictimWorld(t, b, redisURL)
	const (
		home, phoneNet, roaming, cafe, attacker, newcomer, sprayer = 1, 2, 3, 4, 5, 6, 7
	)
	// Before the attack: the browser logs in at home and gets its device cookie; the phone
	// syncs with its EAS password; a second phone, and the mail client at home, use the account password.
	browser := v.client(home)
	r := browser.Login(v.email, victimPw)
	var devCookie *http.Cookie
	for _, ck := range r.Cookies() {
		if strings.HasPrefix(ck.Name, "tessera_device_") {
			devCookie = ck
		}
	}
	if devCookie == nil || !devCookie.HttpOnly || devCookie.SameSite != http.SameSiteStrictMode || devCookie.MaxAge < 364*24*3600 ||
		strings.Contains(devCookie.Value, victimPw) {
		t.Fatalf("device cookie = %+v", devCookie)
	}
	easPw := create(t, browser, "eas", "Phone").Secret.Password
	for _, c := range []struct {
		addr             int
		device, password string
	}{{phoneNet, "VictimPhone", easPw}, {phoneNet, "VictimPhone2", victimPw}} {
		if code := v.eas(c.addr, c.device, c.password); code != 200 {
			t.Fatalf("%s before the attack: %d", c.device, code)
		}
	}
	if h := v.nginx(home, victimPw); h.Get("Auth-Status") != "OK" {
		t.Fatalf("mail client at home before the attack: %v", h)
	}

	// The attack: wrong guesses at the web login from one address.
	atk := v.client(attacker)
	failed := 0
	for i := range guesses {
		r := atk.Do("POST", "/api/v1/auth/login", map[string]string{"username": v.email, "password": fmt.Sprintf("Guess-%d-Pass!", i)})
		switch r.StatusCode {
		case 401:
			failed++
		case 429:
		default:
			t.Fatalf("guess %d: %d %s", i, r.StatusCode, r.Body)
		}
	}
	if failed < 5 {
		t.Fatalf("%d of %d guesses were checked, want at least the 5 free ones", failed, guesses)
	}

	// (d) The attacker, and anyone at a new address, waits as before, even with the right
	// password, on every door that takes it.
	if r := atk.Do("POST", "/api/v1/auth/login", map[string]string{"username": v.email, "password": victimPw}); r.StatusCode != 429 {
		t.Errorf("the attacker with the right password: %d, want 429", r.StatusCode)
	}
	if r := v.client(newcomer).Do("POST", "/api/v1/auth/login", map[string]string{"username": v.email, "password": victimPw}); r.StatusCode != 429 || r.ErrorCode() != "too_many_attempts" {
		t.Errorf("a new browser at a new address: %d %s, want 429", r.StatusCode, r.Body)
	}
	if h := v.nginx(newcomer, victimPw); h.Get("Auth-Status") == "OK" || h.Get("Auth-Wait") == "" {
		t.Errorf("a new mail client at a new address: %v, want refused with Auth-Wait", h)
	}
	if code := v.eas(newcomer, "NewPhone", victimPw); code != 503 {
		t.Errorf("a new phone with the account password: %d, want 503", code)
	}

	// (a) The victim's phones: the EAS password is never refused for the account's counter,
	// at home or roaming; the phone that opened the account with its password before keeps
	// its own counter, from any address.
	for _, c := range []struct {
		addr             int
		device, password string
	}{{phoneNet, "VictimPhone", easPw}, {roaming, "VictimPhone", easPw}, {roaming, "VictimPhone2", victimPw}} {
		if code := v.eas(c.addr, c.device, c.password); code != 200 {
			t.Errorf("%s from address %d after the attack: %d, want 200", c.device, c.addr, code)
		}
	}
	// (b) The known browser logs in, even from a café it never used.
	browser.Header.Set("X-Forwarded-For", v.ip(cafe))
	if r := browser.Do("POST", "/api/v1/auth/login", map[string]string{"username": v.email, "password": victimPw}); r.StatusCode != 200 {
		t.Errorf("the known browser after the attack: %d %s", r.StatusCode, r.Body)
	}
	// (c) The mail client at home, through the mail proxy.
	if h := v.nginx(home, victimPw); h.Get("Auth-Status") != "OK" {
		t.Errorf("mail client at home after the attack: %v", h)
	}

	// (e) Wrong random secrets count per address: 20 wrong app tokens, and that address waits
	// even with the phone's right EAS password, while the phone's own address does not.
	spray := v.client(sprayer)
	for i := range 20 {
		if r := spray.Do("POST", "/api/v1/auth/app-login", map[string]string{"username": v.email, "token": fmt.Sprintf("guessed-token-%d", i)}); r.StatusCode != 401 {
			t.Fatalf("token guess %d: %d", i, r.StatusCode)
		}
	}
	if code := v.eas(sprayer, "VictimPhone", easPw); code != 503 {
		t.Errorf("the right EAS password from the guessing address: %d, want 503", code)
	}
	if code := v.eas(phoneNet, "VictimPhone", easPw); code != 200 {
		t.Errorf("the phone after the token guesses: %d, want 200", code)
	}
}

// victimWorld is a server with a victim account, and clients at numbered addresses of a
// network of its own (so that Redis counters of other runs never meet this one's).
type victimWorld struct {
	t     *testing.T
	s     *apptest.Server
	email string
	net   string
}

func newVictimWorld(t *testing.T, b storetest.Backend, redisURL string) *victimWorld {
	var r [3]byte
	_, _ = rand.Read(r[:])
	v := &victimWorld{t: t, email: "victim-" + hex.EncodeToString(r[:]) + "@example.com", net: fmt.Sprintf("10.%d.%d.", r[0], r[1])}
	loopback := []string{"127.0.0.1", "::1"}
	v.s = apptest.Start(t, b, apptest.Options{TrustedProxies: loopback, ProxyAuthAllow: loopback,
		MailUpstreams: map[string]string{"imap": "127.0.0.1:1143"}, RedisURL: redisURL})
	if _, _, err := v.s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: v.email, Password: victimPw}); err != nil {
		t.Fatal(err)
	}
	if redisURL != "" {
		t.Cleanup(func() { dropRedisKeys(redisURL, v.email, v.net) })
	}
	return v
}

func (v *victimWorld) ip(n int) string { return v.net + strconv.Itoa(n) }

func (v *victimWorld) client(addr int) *apptest.Client {
	c := v.s.Client()
	c.Header.Set("X-Forwarded-For", v.ip(addr))
	return c
}

// eas is an EAS OPTIONS request of a device with HTTP Basic credentials.
func (v *victimWorld) eas(addr int, device, password string) int {
	v.t.Helper()
	req, _ := http.NewRequest("OPTIONS", v.s.URL+"/Microsoft-Server-ActiveSync?Cmd=Options&User=victim&DeviceId="+device+"&DeviceType=iPhone", nil)
	req.SetBasicAuth(v.email, password)
	req.Header.Set("X-Forwarded-For", v.ip(addr))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 503 && resp.Header.Get("Retry-After") == "" {
		v.t.Errorf("503 without Retry-After")
	}
	return resp.StatusCode
}

// nginx is the mail proxy asking about an IMAP login of the victim from a client address.
func (v *victimWorld) nginx(addr int, password string) http.Header {
	v.t.Helper()
	req, _ := http.NewRequest("GET", v.s.URL+"/api/v1/proxy-auth/nginx", nil)
	req.Header.Set("Auth-Method", "plain")
	req.Header.Set("Auth-User", url.PathEscape(v.email))
	req.Header.Set("Auth-Pass", url.PathEscape(password))
	req.Header.Set("Auth-Protocol", "imap")
	req.Header.Set("Auth-Login-Attempt", "1")
	req.Header.Set("Client-IP", v.ip(addr))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		v.t.Fatalf("auth_http answered %d", resp.StatusCode)
	}
	return resp.Header
}

// testRedisURL is TESSERA_TEST_REDIS_URL (DB 15 by default); the test is skipped without a
// Redis, unless CI is set.
func testRedisURL(t *testing.T) string {
	u := os.Getenv("TESSERA_TEST_REDIS_URL")
	if u == "" {
		u = "redis://127.0.0.1:6379/15"
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis: %v", err)
		}
		t.Skipf("redis not reachable: %v", err)
	}
	return u
}

// dropRedisKeys deletes the counters of one run: keys naming its account or its network.
func dropRedisKeys(u string, parts ...string) {
	opts, _ := redis.ParseURL(u)
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	for _, p := range parts {
		for it := c.Scan(ctx, 0, "tessera:throttle:*"+p+"*", 100).Iterator(); it.Next(ctx); {
			c.Del(ctx, it.Val())
		}
	}
}
