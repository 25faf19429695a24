// Package eastest is the harness of the EAS protocol tests: a phone (package easclient) that
// talks to a real Tessera started by package apptest, with the steps of a phone's session
// (an EAS password, Provision, FolderSync, Sync of a collection, Ping) and helpers that return
// the decoded answers, so that a test reads as the session it checks. The tests themselves
// live beside the server, in package eas_test (backend/internal/eas/*_test.go), one file per
// command; the API's tests (package httpapi) use it where they need a phone.
package eastest

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Admin is the bootstrap administrator of every test server, the account a Phone uses unless
// told otherwise.
const Admin = "admin@example.com"

// SQLite is a fresh SQLite backend, for the tests that run on one engine only.
func SQLite(t testing.TB) storetest.Backend {
	return storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"}
}

// Phone is one device of one account. It embeds the client by value, so that a copy (`old :=
// *p; old.Version = "12.1"`) is another device state and leaves p as it was.
type Phone struct {
	easclient.Client
}

// AdminClient is an API client logged in as the bootstrap administrator.
func AdminClient(t testing.TB, s *apptest.Server) *apptest.Client {
	t.Helper()
	c := s.Client()
	c.Login(Admin, apptest.AdminPassword)
	return c
}

// EASPassword makes an EAS password through the API as the client's account, and returns the
// credential's id and the password.
func EASPassword(t testing.TB, c *apptest.Client, label string) (uint64, string) {
	t.Helper()
	r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": label})
	var out struct {
		Credential struct{ ID uint64 }
		Secret     struct{ Password string }
	}
	if r.StatusCode == http.StatusCreated {
		r.JSON(t, &out)
	}
	if out.Secret.Password == "" {
		t.Fatalf("EAS password %q: %d %s", label, r.StatusCode, r.Body)
	}
	return out.Credential.ID, out.Secret.Password
}

// NewPhone is a phone of the administrator at that protocol version, with an EAS password of
// its own, not provisioned yet.
func NewPhone(t testing.TB, s *apptest.Server, version, deviceID string) *Phone {
	t.Helper()
	_, pw := EASPassword(t, AdminClient(t, s), "Phone "+deviceID)
	return &Phone{easclient.Client{BaseURL: s.URL, User: Admin, Pass: pw, DeviceID: deviceID, DeviceType: "iPhone", Version: version}}
}

// PhoneFor is a provisioned 14.1 phone of another account, which logs in with pw to make its
// EAS password.
func PhoneFor(t testing.TB, s *apptest.Server, email, pw, deviceID string) *Phone {
	t.Helper()
	c := s.Client()
	c.Login(email, pw)
	_, secret := EASPassword(t, c, "Phone")
	p := &Phone{easclient.Client{BaseURL: s.URL, User: email, Pass: secret, DeviceID: deviceID, DeviceType: "iPhone", Version: "14.1"}}
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	return p
}

// Provisioned is a provisioned 14.1 phone of the administrator that has done its first
// FolderSync, and its Inbox's ServerId.
func Provisioned(t testing.TB, s *apptest.Server, deviceID string) (*Phone, string) {
	t.Helper()
	return ProvisionedAt(t, s, "14.1", deviceID)
}

// ProvisionedAt is Provisioned at another protocol version.
func ProvisionedAt(t testing.TB, s *apptest.Server, version, deviceID string) (*Phone, string) {
	t.Helper()
	p := NewPhone(t, s, version, deviceID)
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	if inbox := FolderOfType(OK(t)(p.FolderSync("0")).Body, "2"); inbox != "" {
		return p, inbox
	}
	t.Fatal("no Inbox")
	return nil, ""
}

// OK returns a checker: the call worked and answered HTTP 200.
func OK(t testing.TB) func(*easclient.Response, error) *easclient.Response {
	return func(r *easclient.Response, err error) *easclient.Response {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if r.HTTPStatus != 200 {
			t.Fatalf("HTTP %d: %s", r.HTTPStatus, r.Raw)
		}
		return r
	}
}

// InitialKey runs Sync with key 0 on a collection and returns the key the server gave.
func InitialKey(t testing.TB, p *Phone, collection string) string {
	t.Helper()
	r := OK(t)(p.SyncOne(collection, "0"))
	return easclient.Collection(r.Body, collection).TextOf("AirSync:SyncKey")
}

// OptionsStatus sends OPTIONS with Basic credentials (none when user is "") and returns the
// HTTP status: the cheapest way to ask whether a secret opens EAS.
func OptionsStatus(t testing.TB, s *apptest.Server, user, pass string) int {
	t.Helper()
	req, _ := http.NewRequest("OPTIONS", s.URL+"/Microsoft-Server-ActiveSync", nil)
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Syncer syncs one collection of a phone and keeps its SyncKey.
type Syncer struct {
	T    testing.TB
	P    *Phone
	Coll string
	Key  string
}

// Sync sends a Sync of the collection with the current key and extra children (commands,
// options), checks for HTTP 200, keeps the new key, and returns the answer's collection (nil
// for an empty answer).
func (s *Syncer) Sync(extra ...*wbxml.Node) *wbxml.Node {
	s.T.Helper()
	r := OK(s.T)(s.P.SyncOne(s.Coll, s.Key, extra...))
	col := easclient.Collection(r.Body, s.Coll)
	if col == nil {
		return nil
	}
	if k := col.TextOf("AirSync:SyncKey"); k != "" {
		s.Key = k
	}
	return col
}

// Mail is test message i, from "Sender i" to the administrator, with subject "Hello i".
func Mail(i int) []byte {
	return []byte(fmt.Sprintf("From: \"Sender %d\" <sender%d@example.org>\r\nTo: admin@example.com\r\nSubject: Hello %d\r\n"+
		"Date: %s\r\nMessage-ID: <m%d@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody of message %d, café.\r\n",
		i, i, i, time.Now().Add(-time.Duration(10-i)*time.Minute).Format(time.RFC1123Z), i, i))
}

// WaitFor polls cond for up to five seconds and fails the test when it never holds.
func WaitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
