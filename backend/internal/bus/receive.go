package bus

import (
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Reconnect attempts back off from minBackoff to maxBackoff, so a long outage costs a dial
// every couple of seconds and a short one is noticed quickly.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// receiveLoop reads the subscription and fans messages out to local subscribers. We read
// with Receive rather than PubSub.Channel because Channel retries silently and we want to
// log while Redis is away. PubSub itself redials and re-subscribes on the next Receive after
// a broken connection; we add the backoff and a ping for connections that die silently.
func (r *Redis) receiveLoop() {
	defer r.done.Done()
	state := outage{log: r.log, what: "bus: subscription to " + r.channel,
		effect: "changes from other instances are missed; their Pings here wake at the heartbeat"}
	backoff := minBackoff
	pinged, broken := false, false
	for {
		r.mu.Lock()
		ps := r.ps
		r.mu.Unlock()
		msg, err := ps.ReceiveTimeout(r.ctx, r.pingEvery)
		if r.ctx.Err() != nil {
			return
		}
		switch {
		case err == nil:
			if broken {
				// Back: what was cached while the subscription was down may have missed a change.
				r.missedChanges()
				broken = false
			}
			state.report(nil)
			backoff, pinged = minBackoff, false
			if m, ok := msg.(*redis.Message); ok {
				r.deliver(m.Payload)
			}
		case quiet(err) && !pinged:
			// Quiet is normal; make Redis answer so the next period tells a live connection
			// from one that died without a reset. A failed write is handled by PubSub.
			pinged = true
			_ = ps.Ping(r.ctx)
		case quiet(err):
			// No pong for a whole period: replace the subscription, since PubSub keeps a
			// connection that only times out.
			state.report(errors.New("no reply to ping"))
			r.missedChanges()
			broken = true
			r.resubscribe(ps)
			pinged = false
		default:
			state.report(err)
			r.missedChanges()
			broken = true
			select {
			case <-r.ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, maxBackoff)
		}
	}
}

// missedChanges tells observers that changes from other instances may have been lost while
// the subscription was broken, so that caches drop what they hold; until the subscription
// is back, what they load again may also go stale unnoticed, so they are told on every
// failed attempt.
func (r *Redis) missedChanges() { r.local.Publish(mailbox.Change{}) }

// quiet tells a read that timed out on an open connection (nothing was published) from
// failures to dial or read, which mean Redis is away.
func quiet(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "read" && oe.Timeout()
}

// resubscribe swaps old for a fresh PubSub on the same channel. It dials outside the lock
// so that Close is not held up by a connection attempt.
func (r *Redis) resubscribe(old *redis.PubSub) {
	ps := r.client.Subscribe(r.ctx, r.channel)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		_ = ps.Close() // Close has closed, or is about to close, r.ps
		return
	}
	r.ps = ps
	_ = old.Close()
}

// deliver hands another instance's change to local subscribers; ours were delivered by Publish.
func (r *Redis) deliver(payload string) {
	id, c, err := decode(payload)
	if err != nil {
		r.log.Debug("bus: ignoring message", "err", err)
		return
	}
	if id != r.id {
		r.local.Publish(c)
	}
}

// outage logs a failing connection at warn when it starts and once a minute while it lasts,
// then at info when it recovers, so an hour without Redis is a few lines, not thousands.
// Each goroutine keeps its own.
type outage struct {
	log    *slog.Logger
	what   string    // what is failing
	effect string    // what that means for users
	since  time.Time // zero while healthy
	last   time.Time
}

const outageRepeat = time.Minute

func (o *outage) report(err error) {
	now := time.Now()
	switch {
	case err == nil && !o.since.IsZero():
		o.log.Info(o.what+" recovered", "down", now.Sub(o.since).Round(time.Millisecond))
		o.since = time.Time{}
	case err == nil:
	case o.since.IsZero():
		o.since, o.last = now, now
		o.log.Warn(o.what+" failing: "+o.effect, "err", err)
	case now.Sub(o.last) >= outageRepeat:
		o.last = now
		o.log.Warn(o.what+" still failing", "err", err, "since", o.since.Format(time.RFC3339))
	}
}
