package eas_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
)

// A Ping held with a credential that expires while it waits ends at the expiry with 401, as
// for a deleted credential, not at its heartbeat (here five minutes).
func TestHeldPingEndsAtCredentialExpiry(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p, inbox := eastest.Provisioned(t, s, "expiring")
	eastest.InitialKey(t, p, inbox)
	list, err := s.App.Store.ListCredentials(t.Context(), 1)
	if err != nil || len(list) == 0 {
		t.Fatalf("credentials: %v", err)
	}
	id := list[len(list)-1].ID
	at := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano)
	adm := eastest.AdminClient(t, s)
	if r := adm.Do("PATCH", "/api/v1/admin/credentials/"+strconv.FormatUint(id, 10), map[string]string{"expiresAt": at}); r.StatusCode != 200 {
		t.Fatalf("set expiry: %d %s", r.StatusCode, r.Body)
	}
	done := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", eastest.PingBody("300", inbox)); done <- r }()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	select {
	case r := <-done:
		if r == nil || r.HTTPStatus != 401 {
			t.Fatalf("the held Ping at its credential's expiry: %+v", r)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the held Ping outlived its credential's expiry")
	}
}
