package eas

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/config"
)

// defaultOptions are the limits a server gets with no variable set: package config holds them.
func defaultOptions() Options {
	c := config.Default()
	return Options{HeartbeatMin: c.EASHeartbeatMin, HeartbeatMax: c.EASHeartbeatMax, MaxPings: c.EASMaxPings, MaxFolders: c.EASMaxFolders}
}

func TestNewTakesConfigDefaults(t *testing.T) {
	s, err := New(Deps{Options: defaultOptions()})
	if err != nil {
		t.Fatal(err)
	}
	if s.opts != defaultOptions() || s.pings == nil {
		t.Fatalf("opts = %+v", s.opts)
	}
}

// A zero limit is refused at New: eas keeps no defaults of its own to fall back on.
func TestNewRefusesIncompleteOptions(t *testing.T) {
	for name, change := range map[string]func(*Options){
		"zero value":         func(o *Options) { *o = Options{} },
		"no heartbeat min":   func(o *Options) { o.HeartbeatMin = 0 },
		"no heartbeat max":   func(o *Options) { o.HeartbeatMax = 0 },
		"min above max":      func(o *Options) { o.HeartbeatMin = o.HeartbeatMax + 1 },
		"no held pings":      func(o *Options) { o.MaxPings = 0 },
		"no ping folders":    func(o *Options) { o.MaxFolders = 0 },
		"negative folders":   func(o *Options) { o.MaxFolders = -1 },
		"negative heartbeat": func(o *Options) { o.HeartbeatMin = -1 },
	} {
		o := defaultOptions()
		change(&o)
		if s, err := New(Deps{Options: o}); err == nil || s != nil {
			t.Errorf("%s: New(%+v) = %v, %v; want an error", name, o, s, err)
		}
	}
}
