package throttle

import (
	"context"
	"errors"
	"time"
)

// Policy describes one throttle, e.g. per account or per client address.
// Free=5 lets five failures through without delay; after the fifth the next
// attempt waits Base, after the sixth 2*Base, and so on up to Max.
type Policy struct {
	Free   int           // failures allowed before any delay (e.g. 5 for an account, 20 for an address)
	Base   time.Duration // delay after the Free-th failure; doubles with each further failure
	Max    time.Duration // delay cap (e.g. 15 min), so a victim is slowed down but never locked out (rule 7)
	Window time.Duration // failures older than this are forgotten (e.g. 1 h)
}

// Validate reports policies that would disable throttling or grow without
// bound, so configuration mistakes surface at start-up.
func (p Policy) Validate() error {
	switch {
	case p.Free < 0:
		return errors.New("throttle: Free must not be negative")
	case p.Base <= 0:
		return errors.New("throttle: Base must be positive")
	case p.Max < p.Base:
		return errors.New("throttle: Max must be at least Base")
	case p.Window <= 0:
		return errors.New("throttle: Window must be positive")
	}
	return nil
}

// delay is the wait after the n-th failure within the window:
// 0 below Free, then Base * 2^(n-Free), capped at Max.
func (p Policy) delay(n int) time.Duration {
	if n < p.Free {
		return 0
	}
	d := p.Base
	for i := 0; i < n-p.Free; i++ {
		if d > p.Max/2 { // doubling would pass Max (or overflow)
			return p.Max
		}
		d *= 2
	}
	return min(d, p.Max)
}

// Limiter is implemented in memory here and, later, on Redis so that several
// instances share counters.
//
// A login handler calls Check before verifying; with a non-zero wait it
// refuses without touching the password. Check and Fail are separate calls,
// so concurrent requests can all pass Check before any of them Fails; callers
// that need a strict bound can call Fail before verifying and Reset on
// success.
type Limiter interface {
	// Check reports how long the caller must wait before the next attempt for key; 0 means go ahead.
	Check(ctx context.Context, key string) (time.Duration, error)
	// Fail records a failed attempt for key and returns the wait now required before the next one.
	Fail(ctx context.Context, key string) (time.Duration, error)
	// Reset forgets key (after a success).
	Reset(ctx context.Context, key string) error
}
