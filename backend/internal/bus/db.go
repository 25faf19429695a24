package bus

import (
	"context"
	"log/slog"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// The CLI is a separate, short-lived process with no subscribers of its own, and may run
// where Redis is not configured: it writes its changes to the database, which every server
// already shares, and each server reads them once a second. A change from the CLI therefore
// reaches a held Ping within about a second, with or without Redis, at the cost of one
// indexed query per second per server.

// EventStore is the part of the store the database bus needs.
type EventStore interface {
	AppendEvent(ctx context.Context, accountID, folderID uint64) error
	LastEventID(ctx context.Context) (uint64, error)
	EventsAfter(ctx context.Context, after uint64, limit int) ([]store.Event, error)
	PruneEvents(ctx context.Context, before time.Time) (int64, error)
}

// DBPublisher is the Notifier of a CLI process: Publish writes the change to the database
// before it returns, so the command's exit cannot lose it.
type DBPublisher struct {
	Store EventStore
	Log   *slog.Logger
}

var _ mailbox.Notifier = DBPublisher{}

// Publish records c; a failure is logged, since the change itself is already stored and a
// held Ping still sees it at its heartbeat.
func (p DBPublisher) Publish(c mailbox.Change) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Store.AppendEvent(ctx, c.AccountID, c.FolderID); err != nil && p.Log != nil {
		p.Log.Warn("bus: could not tell running servers; held Pings notice at their heartbeat", "err", err)
	}
}

// Subscribe: a CLI process holds no Pings; the channel never delivers.
func (DBPublisher) Subscribe(uint64) (<-chan mailbox.Change, func()) {
	return make(chan mailbox.Change), func() {}
}

// Relay timing: read every relayEvery; keep events for relayKeep, far longer than any
// server needs to read them, and prune once a minute.
const (
	relayEvery = time.Second
	relayKeep  = 10 * time.Minute
	relayBatch = 500
)

// Relay passes events written by other processes to deliver until ctx ends. deliver must
// reach this process's waiters only: every server reads the events itself.
func Relay(ctx context.Context, st EventStore, deliver func(mailbox.Change), log *slog.Logger) {
	relay(ctx, st, deliver, log, relayEvery)
}

func relay(ctx context.Context, st EventStore, deliver func(mailbox.Change), log *slog.Logger, every time.Duration) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	state := outage{log: log, what: "bus: reading changes made by the CLI",
		effect: "held Pings notice CLI changes at their heartbeat"}
	var last uint64
	started := false
	tick := time.NewTicker(every)
	defer tick.Stop()
	var pruned time.Time
	for {
		var err error
		if !started {
			// Start after what is already there: older events were for servers then running.
			if last, err = st.LastEventID(ctx); err == nil {
				started = true
			}
		} else {
			last, err = drain(ctx, st, last, deliver)
		}
		if ctx.Err() != nil {
			return
		}
		state.report(err)
		if err == nil && time.Since(pruned) >= time.Minute {
			pruned = time.Now()
			if _, err := st.PruneEvents(ctx, pruned.Add(-relayKeep)); err != nil && ctx.Err() == nil {
				log.Debug("bus: pruning events", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// drain delivers every event after last and returns the new position.
func drain(ctx context.Context, st EventStore, last uint64, deliver func(mailbox.Change)) (uint64, error) {
	for {
		evs, err := st.EventsAfter(ctx, last, relayBatch)
		if err != nil {
			return last, err
		}
		for _, e := range evs {
			deliver(mailbox.Change{AccountID: e.AccountID, FolderID: e.FolderID})
			last = e.ID
		}
		if len(evs) < relayBatch {
			return last, nil
		}
	}
}
