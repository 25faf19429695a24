package policy

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

func TestTrustedBrowserDays(t *testing.T) {
	n := func(v int) *int { return &v }
	g := &store.GlobalSettings{TrustedBrowserDays: 30}
	for _, c := range []struct {
		d    *store.Domain
		cos  *store.COS
		want int
	}{
		{nil, nil, 30},
		{&store.Domain{}, &store.COS{}, 30},
		{&store.Domain{TrustedBrowserDays: n(7)}, &store.COS{}, 7},
		{&store.Domain{TrustedBrowserDays: n(7)}, &store.COS{TrustedBrowserDays: n(0)}, 0},
		{&store.Domain{TrustedBrowserDays: n(0)}, nil, 0},
		{nil, &store.COS{TrustedBrowserDays: n(90)}, 90},
	} {
		if got := TrustedBrowserDays(g, c.d, c.cos); got != c.want {
			t.Errorf("TrustedBrowserDays(%+v, %+v) = %d, want %d", c.d, c.cos, got, c.want)
		}
	}
}
