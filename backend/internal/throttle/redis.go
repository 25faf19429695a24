package throttle

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// The scripts keep a hash {n, last} per key: the failures in the current window and the
// time of the last one in microseconds of the Redis server's clock. They use the server's
// TIME rather than ours so that instances with skewed clocks agree on every counter; Go
// computes the delay from n with Policy.delay, the same code Memory uses.
//
// Both return {n, last, now}; n is 0 when the key is unknown or its window has passed.
const clockLua = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local v = redis.call('HMGET', KEYS[1], 'n', 'last')
local n, last = tonumber(v[1]) or 0, tonumber(v[2]) or now
if now - last > tonumber(ARGV[1]) then n = 0 end -- the window counts from the last failure
`

// checkScript only reads, so a stream of Checks cannot keep a key alive.
var checkScript = redis.NewScript(clockLua + `
return {n, last, now}
`)

// failScript counts in one step, so concurrent failures on any instance are all counted.
// PEXPIRE drops a key a window after its last failure: idle keys cost no memory.
// %.0f stores the microseconds as exact digits, whatever the Redis version does with a bare Lua number.
var failScript = redis.NewScript(clockLua + `
n = n + 1
redis.call('HSET', KEYS[1], 'n', n, 'last', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {n, now, now}
`)

// Redis is a Limiter whose counters live in Redis, shared by every instance that uses
// the same prefix. Its errors are Redis's: callers decide whether to fail open or closed.
type Redis struct {
	client *redis.Client
	prefix string
	policy Policy
	args   []any // window in µs for the scripts' check, expiry in ms for PEXPIRE
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a limiter that stores key under prefix+key. Like NewMemory it panics
// if p.Validate fails.
func NewRedis(client *redis.Client, prefix string, p Policy) *Redis {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	// One millisecond beyond the window, so PEXPIRE never drops a key the scripts still count.
	expire := p.Window.Milliseconds() + 1
	return &Redis{client: client, prefix: prefix, policy: p, args: []any{p.Window.Microseconds(), expire}}
}

// Check implements Limiter.
func (r *Redis) Check(ctx context.Context, key string) (time.Duration, error) {
	return r.run(ctx, checkScript, key)
}

// Fail implements Limiter.
func (r *Redis) Fail(ctx context.Context, key string) (time.Duration, error) {
	return r.run(ctx, failScript, key)
}

// Reset implements Limiter.
func (r *Redis) Reset(ctx context.Context, key string) error {
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}

// run executes s (EVALSHA, loading it on NOSCRIPT) and turns {n, last, now} into a wait.
func (r *Redis) run(ctx context.Context, s *redis.Script, key string) (time.Duration, error) {
	v, err := s.Run(ctx, r.client, []string{r.prefix + key}, r.args...).Int64Slice()
	if err != nil {
		return 0, fmt.Errorf("throttle: %w", err)
	}
	if len(v) != 3 {
		return 0, fmt.Errorf("throttle: script returned %d values, want 3", len(v))
	}
	n, last, now := int(v[0]), v[1], v[2]
	if n == 0 {
		return 0, nil
	}
	wait := time.Duration(last-now)*time.Microsecond + r.policy.delay(n)
	return max(0, wait), nil
}
