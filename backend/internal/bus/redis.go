package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

const (
	// queueSize bounds the changes waiting to be published. When Redis is slow or down the
	// queue fills and further changes are dropped: a Ping elsewhere then wakes at its
	// heartbeat, which is the protocol's own fallback, while a delivery never waits on Redis.
	queueSize = 1024
	// batchSize bounds one pipeline, so a burst costs one round trip per batch, not per change.
	batchSize = 128
	// dropReport is how often the count of dropped changes is logged while drops go on.
	dropReport = 30 * time.Second
)

// Redis is a mailbox.Notifier shared by every instance using the same Redis and prefix.
// A process holds one Redis subscription however many waiters it has; the waiters are
// served by an in-process LocalNotifier.
type Redis struct {
	client  *redis.Client
	channel string
	id      string // tags our messages so we skip them when Redis echoes them back
	log     *slog.Logger
	local   *mailbox.LocalNotifier

	queue   chan mailbox.Change
	dropped atomic.Int64

	// pingEvery is how long the subscription may stay silent before we ask Redis for a
	// pong; a connection that stays silent for a second period is taken as dead.
	pingEvery time.Duration

	ctx    context.Context // canceled by Close
	cancel context.CancelFunc
	mu     sync.Mutex // guards ps, which the receive loop replaces after a dead connection
	ps     *redis.PubSub
	done   sync.WaitGroup
	closed atomic.Bool
}

var _ mailbox.Notifier = (*Redis)(nil)

// NewRedis subscribes to prefix+"changes" and starts the goroutines that publish and receive.
// It returns an error when the subscription is not confirmed within ctx: a wrong address or
// password should stop start-up rather than silently degrade every Ping to its heartbeat.
// Give ctx a deadline: a Redis that accepts but never answers would otherwise block here.
// Later outages are survived: the subscription is restored when Redis comes back.
// The client stays the caller's; Close does not close it.
func NewRedis(ctx context.Context, client *redis.Client, prefix string, log *slog.Logger) (*Redis, error) {
	return newRedis(ctx, client, prefix, log, 3*time.Second)
}

// newRedis lets tests shorten pingEvery.
func newRedis(ctx context.Context, client *redis.Client, prefix string, log *slog.Logger, pingEvery time.Duration) (*Redis, error) {
	if client == nil {
		return nil, errors.New("bus: nil Redis client")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var id [8]byte
	_, _ = rand.Read(id[:]) // never fails (crypto/rand, Go 1.24+)
	r := &Redis{
		client:    client,
		channel:   prefix + "changes",
		id:        hex.EncodeToString(id[:]),
		log:       log,
		local:     mailbox.NewLocalNotifier(),
		queue:     make(chan mailbox.Change, queueSize),
		pingEvery: pingEvery,
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.ps = client.Subscribe(ctx, r.channel)
	// The first reply to SUBSCRIBE is its confirmation; anything else means no subscription.
	msg, err := r.ps.Receive(ctx)
	if err == nil {
		if _, ok := msg.(*redis.Subscription); !ok {
			err = fmt.Errorf("unexpected reply %T", msg)
		}
	}
	if err != nil {
		r.cancel()
		_ = r.ps.Close()
		return nil, fmt.Errorf("bus: subscribing to %s: %w", r.channel, err)
	}
	r.done.Add(2)
	go r.publishLoop()
	go r.receiveLoop()
	return r, nil
}

// Publish wakes local subscribers at once and queues c for the other instances. It never
// blocks: when the queue is full (Redis slow or down) the change is dropped and logged.
func (r *Redis) Publish(c mailbox.Change) {
	r.local.Publish(c)
	if r.closed.Load() {
		return
	}
	select {
	case r.queue <- c:
	default:
		// Log the first drop at once; publishLoop reports how many followed.
		if r.dropped.Add(1) == 1 {
			r.log.Warn("bus: publish queue full, dropping changes; Pings on other instances wake at their heartbeat",
				"channel", r.channel)
		}
	}
}

// Subscribe returns the account's changes, from this instance and from the others.
// The channel is never closed, not even by Close, so a waiter's select does not spin.
func (r *Redis) Subscribe(accountID uint64) (<-chan mailbox.Change, func()) {
	return r.local.Subscribe(accountID)
}

// Close ends the subscription and both goroutines and waits for them; queued changes are
// dropped. Publish keeps delivering locally afterwards. Close may be called more than once.
func (r *Redis) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	r.cancel()
	r.mu.Lock()
	err := r.ps.Close() // unblocks a Receive in progress
	r.mu.Unlock()
	r.done.Wait()
	if errors.Is(err, redis.ErrClosed) {
		err = nil
	}
	return err
}

// publishLoop sends queued changes, a pipeline per batch, until Close.
func (r *Redis) publishLoop() {
	defer r.done.Done()
	report := time.NewTicker(dropReport)
	defer report.Stop()
	state := outage{log: r.log, what: "bus: publishing to " + r.channel,
		effect: "changes made here do not reach other instances; their Pings wake at the heartbeat"}
	batch := make([]mailbox.Change, 0, batchSize)
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-report.C:
			if n := r.dropped.Swap(0); n > 0 {
				r.log.Warn("bus: changes dropped because the publish queue was full", "count", n, "channel", r.channel)
			}
			continue
		case c := <-r.queue:
			batch = append(batch[:0], c)
		}
	fill:
		for len(batch) < batchSize {
			select {
			case c := <-r.queue:
				batch = append(batch, c)
			default:
				break fill
			}
		}
		_, err := r.client.Pipelined(r.ctx, func(p redis.Pipeliner) error {
			for _, c := range batch {
				p.Publish(r.ctx, r.channel, encode(r.id, c))
			}
			return nil
		})
		if r.ctx.Err() != nil {
			return
		}
		state.report(err)
	}
}

// encode makes the message "instance:account:folder"; it is all a waiter needs to re-check.
func encode(id string, c mailbox.Change) string {
	return id + ":" + strconv.FormatUint(c.AccountID, 10) + ":" + strconv.FormatUint(c.FolderID, 10)
}

func decode(s string) (id string, c mailbox.Change, err error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return "", c, fmt.Errorf("bus: malformed message %q", s)
	}
	if c.AccountID, err = strconv.ParseUint(parts[1], 10, 64); err == nil {
		c.FolderID, err = strconv.ParseUint(parts[2], 10, 64)
	}
	if err != nil {
		return "", c, fmt.Errorf("bus: malformed message %q", s)
	}
	return parts[0], c, nil
}

// Observe registers f for every change published here or received from other instances, and
// for Change{} (account 0) when the subscription failed: changes may have been missed then.
func (r *Redis) Observe(f func(mailbox.Change)) { r.local.Observe(f) }

// PublishLocal wakes this process's subscribers only (for changes every instance learns
// by itself, such as the CLI's, read from the database).
func (r *Redis) PublishLocal(c mailbox.Change) { r.local.Publish(c) }
