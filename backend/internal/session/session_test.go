package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestIssueParse(t *testing.T) {
	m := New(secret, time.Hour)
	iss, err := m.Issue(42, 7, false)
	if err != nil {
		t.Fatal(err)
	}
	c, err := m.Parse(iss.Token)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := c.AccountID()
	if id != 42 || c.TokenVersion != 7 || c.CSRF != iss.CSRF || c.ID == "" {
		t.Fatalf("claims = %+v", c)
	}
	if iss2, _ := m.Issue(42, 7, false); iss2.Claims.ID == c.ID || iss2.CSRF == c.CSRF {
		t.Fatal("two tokens share an id or CSRF value")
	}
}

func TestRefusals(t *testing.T) {
	m := New(secret, time.Hour)
	now := time.Now()
	good, _ := m.Issue(1, 0, false)

	expired := New(secret, time.Hour).WithClock(func() time.Time { return now.Add(-2 * time.Hour) })
	old, _ := expired.Issue(1, 0, false)

	other := New([]byte("another-secret-another-secret-xx"), time.Hour)
	forged, _ := other.Issue(1, 0, false)

	mk := func(method jwt.SigningMethod, key any, mut func(*Claims)) string {
		c := *good.Claims
		mut(&c)
		s, err := jwt.NewWithClaims(method, &c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	none := mk(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, func(*Claims) {})
	hs512 := mk(jwt.SigningMethodHS512, m.key, func(*Claims) {})
	wrongAud := mk(jwt.SigningMethodHS256, m.key, func(c *Claims) { c.Audience = jwt.ClaimStrings{"tessera-app"} })
	noExp := mk(jwt.SigningMethodHS256, m.key, func(c *Claims) { c.ExpiresAt = nil })
	future := mk(jwt.SigningMethodHS256, m.key, func(c *Claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour)) })
	noCSRF := mk(jwt.SigningMethodHS256, m.key, func(c *Claims) { c.CSRF = "" })
	tampered := good.Token[:len(good.Token)-2] + strings.Repeat("A", 2)

	for name, tok := range map[string]string{
		"expired": old.Token, "other key": forged.Token, "alg none": none, "HS512": hs512,
		"wrong audience": wrongAud, "no exp": noExp, "iat in future": future, "no csrf": noCSRF,
		"tampered": tampered, "garbage": "abc.def.ghi", "empty": "",
	} {
		if _, err := m.Parse(tok); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Parse err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestAppTokensAreNotWebTokens(t *testing.T) {
	m := New(secret, time.Hour)
	app, err := m.IssueApp(5, 9)
	if err != nil {
		t.Fatal(err)
	}
	c, err := m.ParseApp(app.Token)
	if err != nil || c.CredentialID != 9 || c.ExpiresAt.Sub(c.IssuedAt.Time) != AppTTL {
		t.Fatalf("ParseApp = %+v, %v", c, err)
	}
	if _, err := m.Parse(app.Token); !errors.Is(err, ErrInvalid) {
		t.Fatal("an app token was accepted as a web session")
	}
	web, _ := m.Issue(5, 0, false)
	if _, err := m.ParseApp(web.Token); !errors.Is(err, ErrInvalid) {
		t.Fatal("a web session was accepted as an app token")
	}
}

func TestChallengeAndEnrolment(t *testing.T) {
	now := time.Now()
	m := New(secret, time.Hour)
	ch, _ := m.IssueChallenge(3, 1)
	if c, err := m.ParseChallenge(ch.Token); err != nil || c.TokenVersion != 1 {
		t.Fatalf("ParseChallenge = %+v, %v", c, err)
	}
	if _, err := m.Parse(ch.Token); !errors.Is(err, ErrInvalid) {
		t.Fatal("a challenge was accepted as a session")
	}
	later := New(secret, time.Hour).WithClock(func() time.Time { return now.Add(ChallengeTTL + time.Minute) })
	if _, err := later.ParseChallenge(ch.Token); !errors.Is(err, ErrInvalid) {
		t.Fatal("a challenge older than 5 minutes was accepted")
	}
	en, _ := m.IssueEnrolment(3, 1)
	if c, err := m.Parse(en.Token); err != nil || c.Scope != ScopeEnrol {
		t.Fatalf("enrolment session = %+v, %v", c, err)
	}
	web, _ := m.Issue(3, 1, false)
	if c, _ := m.Parse(web.Token); c.Scope != "" {
		t.Fatal("a full session has a scope")
	}
}
