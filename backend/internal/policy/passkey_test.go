package policy

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

func TestPasskeyLoginMostSpecificLevelWins(t *testing.T) {
	on, off := true, false
	for _, c := range []struct {
		global      bool
		domain, cos *bool
		want        bool
	}{
		{true, nil, nil, true},
		{false, nil, nil, false},
		{true, &off, nil, false},
		{false, &on, nil, true},
		{true, &off, &on, true},
		{false, &on, &off, false},
		{false, nil, &on, true},
	} {
		g := &store.GlobalSettings{PasskeyLogin: c.global}
		d := &store.Domain{PasskeyLogin: c.domain}
		var cos *store.COS
		if c.cos != nil {
			cos = &store.COS{PasskeyLogin: c.cos}
		}
		if got := PasskeyLogin(g, d, cos); got != c.want {
			t.Errorf("global %v domain %v cos %v: %v, want %v", c.global, c.domain, c.cos, got, c.want)
		}
	}
	if !PasskeyLogin(&store.GlobalSettings{PasskeyLogin: true}, nil, nil) {
		t.Error("no domain, no COS: the global setting")
	}
}
