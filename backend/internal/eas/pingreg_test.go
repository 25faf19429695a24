package eas

import (
	"context"
	"testing"
	"time"
)

func TestPingRegistry(t *testing.T) {
	r := newPingRegistry(2)
	ctx1, sup1, rel1, ok := r.hold(context.Background(), "acct1/devA")
	if !ok {
		t.Fatal("first ping refused")
	}
	ctx2, _, rel2, ok := r.hold(context.Background(), "acct1/devA")
	if !ok {
		t.Fatal("second ping refused")
	}
	select {
	case <-ctx1.Done():
		if !sup1() {
			t.Fatal("the first ping ended but is not marked superseded")
		}
	case <-time.After(time.Second):
		t.Fatal("a newer ping from the same device did not end the older one")
	}
	rel1()
	if ctx2.Err() != nil {
		t.Fatal("releasing the old ping ended the new one")
	}
	_, _, rel3, ok := r.hold(context.Background(), "acct1/devB")
	if !ok || r.Held() != 2 {
		t.Fatalf("held = %d", r.Held())
	}
	if _, _, _, ok := r.hold(context.Background(), "acct2/devC"); ok {
		t.Fatal("a third ping beyond the maximum of 2 was held")
	}
	r.shutdown()
	select {
	case <-ctx2.Done():
	case <-time.After(time.Second):
		t.Fatal("shutdown did not end held pings")
	}
	rel2()
	rel3()
	if r.Held() != 0 {
		t.Fatalf("held after release = %d", r.Held())
	}
}
