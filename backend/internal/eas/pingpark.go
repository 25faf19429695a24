package eas

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Parking a held Ping (issue 17): a Ping held inside its handler keeps what net/http, Gin and
// the handler hold for a request in progress — the connection's 4 KB read and write buffers, the
// response's 2 KB buffer, the request and its headers, the Gin context, and two goroutines, one
// of them with the whole handler chain on its stack: about 73 KB of RSS per held Ping. A parked
// Ping takes its connection out of net/http (Hijack) once it knows it has to wait, and keeps
// only the connection, the pingWait (parkedPing) and one small goroutine, blocked in a one-byte
// read that notices the phone hanging up. The answer is written on the
// connection as net/http would have, and the connection is then served by the HTTP server again
// (keep-alive), after the same idle wait net/http gives a connection between two requests.

// park hijacks the Ping's connection and waits for its answer in the background; false when
// the connection cannot be taken (then the Ping is held in its handler). ctx is the request's,
// base the Ping's own context, which hangUp ends.
func (s *Server) park(ctx, base context.Context, hangUp context.CancelFunc, w *pingWait) bool {
	home := s.home.Load()
	if _, ok := s.mailbox.Notifier().(mailbox.Observable); !ok {
		return false // changes reach a parked Ping through an observer
	}
	s.pings.observeOnce.Do(func() { s.mailbox.Notifier().(mailbox.Observable).Observe(s.pings.changed) })
	c := w.c
	// What the answer needs of the request, taken before the request is let go. The headers
	// set so far are the same for every Ping but for the request id: parked Pings share one copy.
	reqID := c.w.Header().Get(requestIDHeader)
	header := s.pings.sharedHeader(c.w.Header())
	var accept *http.Request
	if enc := c.r.Header.Values("Accept-Encoding"); len(enc) > 0 {
		accept = &http.Request{Header: http.Header{"Accept-Encoding": enc}}
	}
	closeAfter := c.r.Close
	conn, rw, err := http.NewResponseController(c.w).Hijack()
	if err != nil {
		return false
	}
	// From here a hang-up is seen by watch (a closed connection reads EOF again); the request's
	// context ends when the handler returns.
	p := &parkedConn{conn: conn, read: make(chan struct{})}
	if n := rw.Reader.Buffered(); n > 0 { // a request sent before this one's answer
		p.pending, _ = rw.Reader.Peek(n)
		p.pending = bytes.Clone(p.pending)
	}
	if ctx.Err() != nil {
		hangUp()
	}
	pw := &parkedWriter{header: header, shared: true, reqID: reqID}
	c.w, c.r, c.body, c.raw, c.hierarchy = pw, nil, nil, nil, nil
	c.device = &store.Device{ID: c.device.ID, DeviceID: c.device.DeviceID} // all a wait reads of it
	pp := &parkedPing{s: s, w: w, conn: p, pw: pw, base: base, accept: accept, closeAfter: closeAfter, home: home}
	s.pings.parked.Add(1)
	go p.watch(hangUp, len(p.pending) == 0)
	pp.start()
	return true
}

// parkedPing waits without a goroutine of its own: the heartbeat is a timer, the end of its
// registry context (superseded, shut down, hung up) a callback, and changes come from the
// registry's observer (pingRegistry.changed). Each of them queues an event; one goroutine at a
// time works through the queue (work) and ends when it is empty.
type parkedPing struct {
	s          *Server
	w          *pingWait
	conn       *parkedConn
	pw         *parkedWriter
	base       context.Context
	accept     *http.Request
	closeAfter bool
	home       *http.Server
	account    uint64

	mu       sync.Mutex
	working  bool
	ended    bool
	expired  bool     // the heartbeat passed
	heldEnd  bool     // the registry context ended
	folders  []uint64 // changed folders not looked at yet (0: account-wide)
	timer    *time.Timer
	expiry   *time.Timer // the credential's expiry, when it has one
	stopHeld func() bool
}

// start moves the Ping from its subscription to the registry's observer; a change that reached
// the subscription first is queued, so none is lost between the first look and now.
func (p *parkedPing) start() {
	p.account = p.w.c.account.ID
	p.s.pings.observe(p.account, p)
	p.w.unsubscribe()
	for drained := false; !drained; {
		select {
		case ch := <-p.w.changes:
			p.changed(ch.FolderID)
		default:
			drained = true
		}
	}
	p.w.changes = nil
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended { // a change drained above may have answered the Ping already
		p.timer = time.AfterFunc(p.w.heartbeat, func() { p.event(func() { p.expired = true }) })
		p.stopHeld = context.AfterFunc(p.w.held, func() { p.event(func() { p.heldEnd = true }) })
		// The credential expiring while parked is an account-wide change: work then finds it
		// revoked and answers 401, as wait does.
		if g := p.w.c.grant; g != nil && g.Credential != nil && g.Credential.ExpiresAt != nil {
			p.expiry = time.AfterFunc(time.Until(*g.Credential.ExpiresAt)+time.Second,
				func() { p.event(func() { p.folders = append(p.folders, 0) }) })
		}
	}
}

// changed queues a change of the account (from the registry's observer).
func (p *parkedPing) changed(folder uint64) {
	if _, ok := p.w.watched[folder]; !ok && folder != 0 {
		return
	}
	p.event(func() { p.folders = append(p.folders, folder) })
}

func (p *parkedPing) event(record func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ended {
		return
	}
	record()
	if !p.working {
		p.working = true
		go p.work()
	}
}

// work answers the queued events in the order of wait's select: a Ping answers once.
func (p *parkedPing) work() {
	w, ctx := p.w, p.base
	for {
		p.mu.Lock()
		expired, heldEnd, folders := p.expired, p.heldEnd, p.folders
		p.folders = nil
		if !expired && !heldEnd && len(folders) == 0 {
			p.working = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		switch {
		case heldEnd:
			if ctx.Err() != nil {
				p.finish(nil, ctx.Err()) // the phone hung up
				return
			}
			_ = w.superseded() // a newer Ping or shutdown: "no changes", so the device pings again
			p.finish(w.resp.Add(wbxml.NewText("Status", pingExpired)), nil)
			return
		case expired:
			p.finish(w.resp.Add(wbxml.NewText("Status", pingExpired)), nil)
			return
		}
		for _, f := range folders {
			if f == 0 && p.s.revoked(ctx, w.c) {
				p.finish(nil, errHandled)
				return
			}
			changed, st, err := w.check(ctx, f)
			if err != nil || st != "" || len(changed) > 0 {
				p.finish(w.answer(changed, st), err)
				return
			}
		}
	}
}

// finish ends the wait, writes the answer and gives the connection back to the HTTP server.
func (p *parkedPing) finish(resp *wbxml.Node, err error) {
	p.mu.Lock()
	p.ended = true
	timer, stopHeld, expiry := p.timer, p.stopHeld, p.expiry
	p.mu.Unlock()
	s, w, conn := p.s, p.w, p.conn
	if timer != nil {
		timer.Stop()
		stopHeld()
	}
	if expiry != nil {
		expiry.Stop()
	}
	s.pings.unobserve(p.account, p)
	hungUp := p.base.Err() != nil // before done, which ends base
	w.done()
	ok := conn.stopReading() && !hungUp
	if ok {
		switch {
		case errors.Is(err, errHandled):
		case err != nil:
			s.fail(p.pw, w.c.req, w.c.req.Cmd, err)
		default:
			s.send(p.pw, p.accept, resp)
		}
		ok = p.pw.writeTo(conn.conn, p.closeAfter) == nil && !p.closeAfter
	}
	s.pings.parked.Add(-1)
	if !ok {
		conn.conn.Close()
		return
	}
	serveAgain(s.pings.root, p.home, conn.conn, conn.pending)
}

// parkedConn is a hijacked connection whose phone waits for its Ping's answer.
type parkedConn struct {
	conn     net.Conn
	pending  []byte // read from the phone before the answer (the next request's start)
	read     chan struct{}
	stopping atomic.Bool
}

// watch reads one byte: an error means the phone hung up (unless stopReading interrupted it);
// a byte is the next request, sent early, and kept for the HTTP server.
func (p *parkedConn) watch(hangUp context.CancelFunc, read bool) {
	defer close(p.read)
	if !read {
		return
	}
	var one [1]byte
	n, err := p.conn.Read(one[:])
	if n > 0 {
		p.pending = []byte{one[0]}
		return
	}
	if err != nil && !p.stopping.Load() {
		hangUp()
	}
}

// stopReading ends watch and reports whether the connection is still usable.
func (p *parkedConn) stopReading() bool {
	p.stopping.Store(true)
	if err := p.conn.SetReadDeadline(time.Unix(1, 0)); err != nil {
		return false
	}
	<-p.read
	return p.conn.SetReadDeadline(time.Time{}) == nil
}

// parkedWriter collects a parked Ping's answer, written by the same code as any other answer.
type parkedWriter struct {
	header http.Header
	shared bool   // header is the registry's shared copy: copied before the first change
	reqID  string // the request's X-Request-Id, which the shared copy leaves out
	status int
	body   bytes.Buffer
}

func (w *parkedWriter) Header() http.Header {
	if w.shared {
		w.header, w.shared = w.header.Clone(), false
		if w.reqID != "" {
			w.header.Set(requestIDHeader, w.reqID)
		}
	}
	return w.header
}

func (w *parkedWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *parkedWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// writeTo writes the answer as an HTTP/1.1 response with a Content-Length.
func (w *parkedWriter) writeTo(conn net.Conn, closeAfter bool) error {
	w.WriteHeader(http.StatusOK)
	h := w.Header()
	h.Del("Content-Length") // the response's own length goes out
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	r := &http.Response{StatusCode: w.status, ProtoMajor: 1, ProtoMinor: 1, Header: h,
		ContentLength: int64(w.body.Len()), Close: closeAfter}
	if w.body.Len() > 0 {
		r.Body = io.NopCloser(&w.body)
	}
	return r.Write(conn)
}

// serveAgain gives an answered connection back to srv: it waits for the next request as
// net/http waits between two requests (srv.IdleTimeout), then srv serves it. The wait ends when
// root does (shutdown), as net/http closes its idle connections.
func serveAgain(root context.Context, srv *http.Server, conn net.Conn, pending []byte) {
	if len(pending) == 0 {
		stop := context.AfterFunc(root, func() { _ = conn.SetReadDeadline(time.Unix(1, 0)) })
		defer stop()
		idle := srv.IdleTimeout
		if idle == 0 {
			idle = srv.ReadTimeout
		}
		if idle > 0 {
			_ = conn.SetReadDeadline(time.Now().Add(idle))
		}
		var one [1]byte
		if n, _ := conn.Read(one[:]); n == 0 {
			conn.Close() // closed by the phone, or idle too long
			return
		}
		pending = []byte{one[0]}
		if conn.SetReadDeadline(time.Time{}) != nil {
			conn.Close()
			return
		}
	}
	pc, ok := conn.(*prefixConn) // served again before: not one more wrapper per Ping
	if !ok {
		pc = &prefixConn{Conn: conn}
	}
	pc.pending = pending
	l := &oneConnListener{conn: pc}
	_ = srv.Serve(l) // returns at the second Accept; the connection is served on
	l.closeUnserved()
}

// oneConnListener hands one connection to http.Server.Serve.
type oneConnListener struct {
	conn  net.Conn
	taken atomic.Bool
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if l.taken.Swap(true) {
		return nil, net.ErrClosed
	}
	return l.conn, nil
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

// closeUnserved closes the connection when Serve never took it (the server is shutting down).
func (l *oneConnListener) closeUnserved() {
	if !l.taken.Swap(true) {
		l.conn.Close()
	}
}

// prefixConn reads the bytes already read from the connection first.
type prefixConn struct {
	net.Conn
	pending []byte
}

func (c *prefixConn) Read(b []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(b, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

var _ http.ResponseWriter = (*parkedWriter)(nil)
