package eas_test

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A held Ping parks its connection (pingpark.go): the phone still gets its answers on the
// connection it sent the Ping on, and that connection keeps serving the phone's next requests.
func TestParkedPingKeepsItsConnection(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		p, inbox := eastest.Provisioned(t, s, "park1")
		var dials atomic.Int64
		p.HTTP = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}}
		key := eastest.InitialKey(t, p, inbox)
		acct, err := s.App.Accounts.Get(t.Context(), admin)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for round := range 3 {
			done := make(chan *easclient.Response, 1)
			go func() { r, _ := p.Do("Ping", eastest.PingBody("300", inbox)); done <- r }()
			eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
			if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(round)); err != nil {
				t.Fatal(err)
			}
			select {
			case r := <-done:
				if r == nil || r.HTTPStatus != 200 || r.Body.TextOf("Status") != "2" || r.Body.Child("Folders").TextOf("Folder") != inbox {
					t.Fatalf("round %d: Ping answered %v", round, r)
				}
				if r.Header.Get("MS-Server-ActiveSync") == "" || r.Header.Get("Content-Type") != "application/vnd.ms-sync.wbxml" {
					t.Fatalf("round %d: headers of the answer: %v", round, r.Header)
				}
				// Parked Pings share their headers but for the request id, each its own.
				id := r.Header.Get("X-Request-Id")
				if id == "" || ids[id] {
					t.Fatalf("round %d: request id %q (seen: %v)", round, id, ids)
				}
				ids[id] = true
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: the Ping did not wake", round)
			}
			r := must(p.SyncOne(inbox, key))
			col := easclient.Collection(r.Body, inbox)
			if got := eastest.Adds(col); len(got) != 1 {
				t.Fatalf("round %d: the Sync after the wake brought %v", round, got)
			}
			key = col.TextOf("AirSync:SyncKey")
		}
		if n := dials.Load(); n != 1 {
			t.Fatalf("the phone opened %d connections; want one, kept alive through three held Pings", n)
		}
		eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 0 })
	})
}

// A phone that hangs up during a parked Ping frees its place at once, not at the heartbeat.
func TestParkedPingEndsWhenThePhoneHangsUp(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p, inbox := eastest.Provisioned(t, s, "park2")
	eastest.InitialKey(t, p, inbox)
	tr := &http.Transport{}
	p.HTTP = &http.Client{Transport: tr}
	ended := make(chan error, 1)
	ctx, hangUp := context.WithCancel(t.Context())
	p.HTTP.Transport = ctxTransport{ctx, tr}
	go func() { _, err := p.Do("Ping", eastest.PingBody("600", inbox)); ended <- err }()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	hangUp()
	if err := <-ended; err == nil {
		t.Fatal("the Ping answered although the phone hung up")
	}
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 0 })
}

// ctxTransport sends every request with ctx: cancelling it closes the connection in flight.
type ctxTransport struct {
	ctx context.Context
	rt  http.RoundTripper
}

func (t ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.rt.RoundTrip(r.WithContext(t.ctx))
}
