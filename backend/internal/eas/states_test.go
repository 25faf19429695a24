package eas

import (
	"context"
	"errors"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestStatesKeysAndRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, _ := st.CreateDomain(ctx, "example.com")
		a := &store.Account{Email: "a@example.com", DomainID: d.ID, PasswordHash: "h", Role: "user", Status: "active"}
		st.CreateAccount(ctx, a)
		dev, err := st.CreateDevice(ctx, &store.Device{AccountID: a.ID, DeviceID: "dev1", DeviceType: "iPhone"})
		if err != nil {
			t.Fatal(err)
		}
		s := states{store: st}
		if _, err := s.load(ctx, dev.ID, "5", "1-abc"); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("key before any state: %v", err)
		}
		l0, _ := s.load(ctx, dev.ID, "5", "0")
		k1, err := s.save(ctx, dev.ID, "5", l0, []byte("s1"))
		if err != nil || keyCounter(k1) != 1 {
			t.Fatalf("k1 = %q, %v", k1, err)
		}
		l1, err := s.load(ctx, dev.ID, "5", k1)
		if err != nil || string(l1.data) != "s1" || l1.retry {
			t.Fatalf("load k1 = %+v, %v", l1, err)
		}
		k2, _ := s.save(ctx, dev.ID, "5", l1, []byte("s2"))
		// The device lost the response with k2 and retries with k1: answered from s1 again.
		retry, err := s.load(ctx, dev.ID, "5", k1)
		if err != nil || !retry.retry || string(retry.data) != "s1" {
			t.Fatalf("retry with k1 = %+v, %v", retry, err)
		}
		k2b, _ := s.save(ctx, dev.ID, "5", retry, []byte("s2b"))
		if k2b == k2 || keyCounter(k2b) != 2 {
			t.Fatalf("k2b = %q (k2 %q)", k2b, k2)
		}
		if _, err := s.load(ctx, dev.ID, "5", k2); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("the superseded k2 still works: %v", err)
		}
		if l, err := s.load(ctx, dev.ID, "5", k1); err != nil || !l.retry {
			t.Fatalf("k1 stays the previous key after a retry: %+v %v", l, err)
		}
		l2b, _ := s.load(ctx, dev.ID, "5", k2b)
		k3, _ := s.save(ctx, dev.ID, "5", l2b, []byte("s3"))
		if _, err := s.load(ctx, dev.ID, "5", k1); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("a key two states old still works: %v", err)
		}
		if l, _ := s.load(ctx, dev.ID, "5", k3); string(l.data) != "s3" {
			t.Fatal("k3")
		}
		// Key 0 again replaces the collection's state.
		l0, _ = s.load(ctx, dev.ID, "5", "0")
		s.save(ctx, dev.ID, "5", l0, []byte("fresh"))
		if _, err := s.load(ctx, dev.ID, "5", k3); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("old key after a restart from 0: %v", err)
		}
	})
}
