package main

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// loadOptions are the flags shared by the closed-loop measurements (sync, eas-rps, api-rps,
// logins): Concurrency workers each send one request after the other for Duration.
type loadOptions struct {
	URLs        []string // several: worker w talks to URLs[w%len], spreading the load over instances
	Accounts    int      // seeded accounts used, user1..userN (user0 is the big Inbox of initial-sync)
	Concurrency int
	Duration    time.Duration
	Record      recordOptions
}

// urlFor spreads workers (or accounts) over the instances.
func (o loadOptions) urlFor(i int) string { return o.URLs[i%len(o.URLs)] }

// httpClient keeps one connection per worker alive, as phones and browsers do.
func httpClient(conns int) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: conns + 64,
		DisableCompression: true, IdleConnTimeout: time.Hour}}
}

// result is what one worker saw: latencies of the requests that succeeded, failures, and
// a work count beside the requests (messages for sync).
type result struct {
	lat      []time.Duration
	errors   int
	items    int
	firstErr error
}

// step sends one request and reports how many items it carried; an error counts as a failure.
type step func() (items int, err error)

// runClosedLoop runs one step function per worker until the duration is over and merges the
// results. Workers are set up (logins, FolderSync) before the clock starts.
func runClosedLoop(o loadOptions, setup func(w int) (step, error)) (result, time.Duration, error) {
	steps := make([]step, o.Concurrency)
	for w := range steps {
		s, err := setup(w)
		if err != nil {
			return result{}, 0, fmt.Errorf("worker %d: %w", w, err)
		}
		steps[w] = s
	}
	results := make([]result, o.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(o.Duration)
	for w := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[w]
			for time.Now().Before(deadline) {
				t0 := time.Now()
				n, err := steps[w]()
				if err != nil {
					r.errors++
					if r.firstErr == nil {
						r.firstErr = err
					}
					time.Sleep(10 * time.Millisecond) // a failing server must not turn this into a busy loop
					continue
				}
				r.lat = append(r.lat, time.Since(t0))
				r.items += n
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all result
	for _, r := range results {
		all.lat = append(all.lat, r.lat...)
		all.errors += r.errors
		all.items += r.items
		if all.firstErr == nil {
			all.firstErr = r.firstErr
		}
	}
	sort.Slice(all.lat, func(a, b int) bool { return all.lat[a] < all.lat[b] })
	if all.firstErr != nil {
		fmt.Fprintf(os.Stderr, "%d failed requests, the first: %v\n", all.errors, all.firstErr)
	}
	if len(all.lat) == 0 {
		return all, elapsed, fmt.Errorf("no request succeeded")
	}
	return all, elapsed, nil
}

// quantile of sorted latencies.
func quantile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[int(p*float64(len(lat)-1))]
}

// ms prints a latency in milliseconds with a precision that suits its size.
func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	switch {
	case f < 10:
		return fmt.Sprintf("%.1f ms", f)
	default:
		return fmt.Sprintf("%.0f ms", f)
	}
}

// rateSummary is the common figure: rate, latency quantiles, failures.
func rateSummary(r result, elapsed time.Duration, unit string) string {
	s := fmt.Sprintf("%s %s/s (p50 %s, p99 %s)", thousands(float64(len(r.lat))/elapsed.Seconds()), unit,
		ms(quantile(r.lat, 0.5)), ms(quantile(r.lat, 0.99)))
	if r.errors > 0 {
		s += fmt.Sprintf(", %d failed", r.errors)
	}
	return s
}

// thousands formats a rate with a thousands separator: 12,345.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
