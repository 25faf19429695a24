package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
)

// webSession is one account logged in as the SPA is: the session cookie in a jar, the CSRF
// cookie's value sent back in X-CSRF-Token.
type webSession struct {
	base string
	hc   *http.Client
	csrf string
}

// webLogin posts the login form's JSON. transport is shared by all sessions (one jar each).
func webLogin(base, username, pass string, transport http.RoundTripper) (*webSession, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: transport}
	body, _ := json.Marshal(map[string]string{"username": username, "password": pass})
	resp, err := hc.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var out struct {
		Account           *struct{ Email string }
		TwoFactorRequired bool
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || out.Account == nil || out.TwoFactorRequired {
		return nil, fmt.Errorf("login %s: HTTP %d (two-factor %v, %v)", username, resp.StatusCode, out.TwoFactorRequired, err)
	}
	s := &webSession{base: base, hc: hc}
	for _, c := range resp.Cookies() {
		if c.Name == "tessera_csrf" {
			s.csrf = c.Value
		}
	}
	return s, nil
}

// get sends what the SPA sends for a GET and checks the answer is 200 JSON.
func (s *webSession) get(path string, into any) error {
	req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
	req.Header.Set("X-CSRF-Token", s.csrf)
	req.Header.Set("Accept", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("GET %s: HTTP %d %s", path, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

// runAPIRate logs every account in once (not timed), then measures GET /api/v1/credentials,
// the SPA's start page, round-robin over the sessions of each worker.
func runAPIRate(o loadOptions) error {
	tr := httpClient(o.Concurrency).Transport
	r, el, err := runClosedLoop(o, func(w int) (step, error) {
		var sessions []*webSession
		for i := 1 + w; i <= o.Accounts; i += o.Concurrency {
			s, err := webLogin(o.urlFor(i), user(i), loadPassword, tr)
			if err != nil {
				return nil, err
			}
			sessions = append(sessions, s)
		}
		if len(sessions) == 0 {
			return nil, fmt.Errorf("--accounts (%d) must be at least --concurrency (%d)", o.Accounts, o.Concurrency)
		}
		next := 0
		return func() (int, error) {
			s := sessions[next]
			next = (next + 1) % len(sessions)
			var list struct{ Items []struct{ Kind string } }
			if err := s.get("/api/v1/credentials", &list); err != nil {
				return 0, err
			}
			if len(list.Items) == 0 {
				return 0, fmt.Errorf("credential list of a seeded account is empty")
			}
			return len(list.Items), nil
		}, nil
	})
	if err != nil {
		return err
	}
	return o.Record.add(fmt.Sprintf("API: GET /api/v1/credentials (%d sessions)", o.Accounts), rateSummary(r, el, "requests"))
}

// runLogins measures password logins: POST /api/v1/auth/login with the right password, round
// robin over the accounts. Each verifies an argon2id hash (m=19 MiB, t=2), on purpose the
// dominant cost, so the rate is about cores / hash time.
func runLogins(o loadOptions) error {
	tr := httpClient(o.Concurrency).Transport
	r, el, err := runClosedLoop(o, func(w int) (step, error) {
		n := 0
		return func() (int, error) {
			acct := 1 + (w+n*o.Concurrency)%o.Accounts
			n++
			_, err := webLogin(o.urlFor(acct), user(acct), loadPassword, tr)
			return 0, err
		}, nil
	})
	if err != nil {
		return err
	}
	return o.Record.add("web logins (argon2id)", rateSummary(r, el, "logins"))
}
