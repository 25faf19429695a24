package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/bus"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

// shared builds what instances must share: with TESSERA_REDIS_URL, Ping wake-ups travel
// through Redis pub/sub and the brute-force counters live in Redis; without it, one instance
// keeps both in process. (Revocations need nothing shared: every request reads the database;
// changes made by the CLI reach servers through the database too, see bus.Relay.)
func shared(cfg config.Config, log *slog.Logger) (mailbox.Notifier, throttle.Limiter, throttle.Limiter, func(), error) {
	if cfg.RedisURL == "" {
		return mailbox.NewLocalNotifier(), throttle.NewMemory(AccountThrottle), throttle.NewMemory(AddressThrottle), func() {}, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("TESSERA_REDIS_URL: %w", err)
	}
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := bus.NewRedis(ctx, client, "tessera:", log.With("via", "redis"))
	if err != nil {
		client.Close()
		return nil, nil, nil, nil, fmt.Errorf("redis at %s: %w", opts.Addr, err)
	}
	return b, throttle.NewRedis(client, "tessera:throttle:acct:", AccountThrottle), throttle.NewRedis(client, "tessera:throttle:ip:", AddressThrottle),
		func() { b.Close(); client.Close() }, nil
}
