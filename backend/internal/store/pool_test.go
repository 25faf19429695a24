package store_test

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A burst of more requests than MySQL's max_connections waits for pooled connections instead
// of failing with "Too many connections" (easload pings on MariaDB found this).
func TestMySQLPoolIsBounded(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		if b.Driver != "mysql" {
			t.Skip("the SQLite pool has its own bound")
		}
		s := storetest.Open(t, b)
		sqlDB, err := s.Gorm().DB()
		if err != nil {
			t.Fatal(err)
		}
		if got := sqlDB.Stats().MaxOpenConnections; got != store.MySQLMaxOpenConns {
			t.Fatalf("MaxOpenConnections = %d, want %d", got, store.MySQLMaxOpenConns)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 3*store.MySQLMaxOpenConns)
		for range 3 * store.MySQLMaxOpenConns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var one int
				errs <- s.Gorm().Raw("SELECT SLEEP(0.05) + 1").Scan(&one).Error
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if st := sqlDB.Stats(); st.OpenConnections > store.MySQLMaxOpenConns || st.WaitCount == 0 {
			t.Fatalf("open %d (max %d), waited %d times: the pool did not bound the burst",
				st.OpenConnections, store.MySQLMaxOpenConns, st.WaitCount)
		}
	})
}

// The MySQL driver interpolates arguments client-side (one round trip per query): values with
// quotes, backslashes, NUL and 4-byte UTF-8 must reach the server and come back unchanged, and a
// value must never be read as SQL.
func TestMySQLInterpolatedArguments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, v := range []string{`O'Brien`, `back\slash`, `"double"`, "nul\x00byte", "emoji 😀 ü", `'; DROP TABLE accounts; --`, `\'`, "`tick`"} {
			var got string
			if err := s.Gorm().Raw("SELECT ?", v).Scan(&got).Error; err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			if got != v {
				t.Errorf("sent %q, got %q", v, got)
			}
		}
		var n int64
		if err := s.Gorm().Raw("SELECT COUNT(*) FROM accounts WHERE email = ?", `x' OR '1'='1`).Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("injection attempt counted %d, %v", n, err)
		}
	})
}

// CredentialForAuth (one joined statement on MySQL) finds a credential only with its own
// account's address, and fills both rows as the authenticator reads them.
func TestCredentialForAuth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		ids := twoAccounts(t, s)
		exp := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
		c := &store.Credential{AccountID: ids[0], Kind: store.KindEAS, Label: "Phone", LabelKey: "k", SecretHash: "hash-a",
			Status: store.CredEnabled, Services: "eas", ExpiresAt: &exp}
		if err := s.CreateCredential(ctx, c); err != nil {
			t.Fatal(err)
		}
		a, got, err := s.CredentialForAuth(ctx, "a@example.com", "hash-a", []string{store.KindEAS, store.KindAppPasscode})
		if err != nil || a.ID != ids[0] || a.Email != "a@example.com" || a.Status != store.StatusActive || a.PasswordHash != "h" ||
			got.ID != c.ID || got.Kind != store.KindEAS || got.Label != "Phone" || got.ExpiresAt == nil || !got.ExpiresAt.Equal(exp) || got.LastUsedAt != nil {
			t.Fatalf("found %+v %+v, %v", a, got, err)
		}
		// The joined statement reads the same account columns as AccountForAuth, and the same
		// credential columns as CredentialBySecret: a column added to one is added to the other.
		if alone, err := s.AccountForAuth(ctx, "a@example.com"); err != nil || !reflect.DeepEqual(alone, a) {
			t.Fatalf("CredentialForAuth account %+v, AccountForAuth %+v (%v)", a, alone, err)
		}
		if alone, err := s.CredentialBySecret(ctx, ids[0], "hash-a", []string{store.KindEAS}); err != nil || !reflect.DeepEqual(alone, got) {
			t.Fatalf("CredentialForAuth credential %+v, CredentialBySecret %+v (%v)", got, alone, err)
		}
		for _, miss := range []struct{ email, hash, kind string }{
			{"b@example.com", "hash-a", store.KindEAS},       // another account's credential
			{"a@example.com", "hash-b", store.KindEAS},       // wrong secret
			{"a@example.com", "hash-a", store.KindMobileApp}, // wrong door
			{"nobody@example.com", "hash-a", store.KindEAS},
		} {
			if _, _, err := s.CredentialForAuth(ctx, miss.email, miss.hash, []string{miss.kind}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%+v: %v, want ErrNotFound", miss, err)
			}
		}
	})
}

// DeviceWithState (one statement, LEFT JOIN) reads the same device as DeviceOf and the same
// state as SyncStateOf, so a column added to either model cannot be missed; a device without a
// state of the collection comes with none, another account's device not at all.
func TestDeviceWithState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		ids := twoAccounts(t, s)
		at := time.Date(2026, 11, 22, 9, 30, 15, 123e6, time.UTC)
		dev, err := s.CreateDevice(ctx, &store.Device{AccountID: ids[0], DeviceID: "phone1", DeviceType: "iPhone", UserAgent: "Apple-iPhone/1",
			ProtocolVersion: "16.1", PolicyKey: "123", PendingKey: "456", Model: "iPhone 17", FriendlyName: "Work", OS: "iOS 20",
			WipeState: store.WipeRequested, FirstSyncAt: at, LastSyncAt: at.Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		got, st, err := s.DeviceWithState(ctx, ids[0], "phone1", "hierarchy")
		if err != nil || st != nil {
			t.Fatalf("without a state: %+v %+v %v", got, st, err)
		}
		alone, err := s.DeviceOf(ctx, ids[0], "phone1")
		if err != nil || !reflect.DeepEqual(alone, got) || got.ID != dev.ID || !got.LastSyncAt.Equal(at.Add(time.Minute)) {
			t.Fatalf("DeviceWithState device %+v, DeviceOf %+v (%v)", got, alone, err)
		}
		for _, c := range []string{"hierarchy", "17"} {
			if err := s.SaveSyncState(ctx, &store.SyncState{DeviceID: dev.ID, CollectionID: c, SyncKey: "2-" + c, State: []byte(`{"f":{"1":"` + c + `"}}`),
				PrevKey: "1-" + c, PrevState: []byte("{}")}); err != nil {
				t.Fatal(err)
			}
		}
		_, st, err = s.DeviceWithState(ctx, ids[0], "phone1", "hierarchy")
		if err != nil || st == nil {
			t.Fatalf("with a state: %+v %v", st, err)
		}
		want, err := s.SyncStateOf(ctx, dev.ID, "hierarchy")
		if err != nil {
			t.Fatal(err)
		}
		want.UpdatedAt = time.Time{} // not read: SaveSyncState sets it
		if !reflect.DeepEqual(st, want) {
			t.Fatalf("DeviceWithState state %+v, SyncStateOf %+v", st, want)
		}
		if _, _, err := s.DeviceWithState(ctx, ids[1], "phone1", "hierarchy"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another account's device: %v, want ErrNotFound", err)
		}
		if _, _, err := s.DeviceWithState(ctx, ids[0], "nope", "hierarchy"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an unknown device: %v, want ErrNotFound", err)
		}
	})
}

// twoAccounts makes a@example.com and b@example.com and returns their ids.
func twoAccounts(t *testing.T, s *store.Store) []uint64 {
	t.Helper()
	d, _ := s.CreateDomain(t.Context(), "example.com")
	var ids []uint64
	for _, email := range []string{"a@example.com", "b@example.com"} {
		acct := &store.Account{Email: email, DomainID: d.ID, PasswordHash: "h", Role: store.RoleUser, Status: store.StatusActive}
		if err := s.CreateAccount(t.Context(), acct); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, acct.ID)
	}
	return ids
}
