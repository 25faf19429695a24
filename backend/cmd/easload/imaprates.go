package main

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// runFetchFlags: user0 (the big Inbox of seed --messages) selects INBOX and sends
// UID FETCH 1:* (UID FLAGS) one after the other for the duration, over one connection: what a
// desktop client does to resynchronise a folder's flags.
func runFetchFlags(addr string, duration time.Duration, rec recordOptions) error {
	c, err := loginIMAP(addr, 0, "INBOX")
	if err != nil {
		return err
	}
	defer c.c.Close()
	var lat []time.Duration
	msgs := 0
	start := time.Now()
	for time.Since(start) < duration || len(lat) == 0 {
		t0 := time.Now()
		u, err := c.ok("UID FETCH 1:* (UID FLAGS)")
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		msgs = u
	}
	if msgs == 0 {
		return fmt.Errorf("UID FETCH 1:* answered nothing: seed user0's Inbox (easload seed --messages)")
	}
	return rec.add(fmt.Sprintf("IMAP UID FETCH 1:* (UID FLAGS) of a %s-message Inbox (one connection)", thousands(float64(msgs))),
		latencyFigure(lat, time.Since(start), "calls"))
}

// runAppend: account i appends a 2 KB message to its Drafts, one after the other for the
// duration, over one connection (LITERAL+, as clients save Sent and Drafts).
func runAppend(addr string, i int, duration time.Duration, rec recordOptions) error {
	c, err := loginIMAP(addr, i, "")
	if err != nil {
		return err
	}
	defer c.c.Close()
	body := strings.Repeat("A line of a typical short message body, about 2 KB in all.\r\n", 32)
	var lat []time.Duration
	start := time.Now()
	for n := 0; time.Since(start) < duration || n == 0; n++ {
		msg := fmt.Sprintf("From: %s\r\nTo: someone@example.org\r\nSubject: Appended %d\r\nMessage-ID: <append%d.%d@load.test>\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s", user(i), n, start.UnixNano(), n, body)
		t0 := time.Now()
		if _, err := c.ok(fmt.Sprintf("APPEND Drafts (\\Seen) {%d+}\r\n%s", len(msg), msg)); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
	}
	return rec.add("IMAP APPEND of a 2 KB message (one connection)", latencyFigure(lat, time.Since(start), "messages"))
}

// latencyFigure: "N what/s (p50 …, p99 …)" of a sequence of calls over one connection.
func latencyFigure(lat []time.Duration, took time.Duration, what string) string {
	n := len(lat)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	return fmt.Sprintf("%s %s/s (p50 %s, p99 %s; %d in %.0f s)", thousands(float64(n)/took.Seconds()), what,
		ms(quantile(lat, 0.5)), ms(quantile(lat, 0.99)), n, took.Seconds())
}
