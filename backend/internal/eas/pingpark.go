package eas

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Parking a held Ping (issue 17): a Ping held inside its handler keeps what net/http, Gin and
// the handler hold for a request in progress — the connection's 4 KB read and write buffers, the
// response's 2 KB buffer, the request and its headers, the Gin context, and two goroutines, one
// of them with the whole handler chain on its stack: about 84 KB of RSS per held Ping. A parked
// Ping takes its connection out of net/http (Hijack) once it knows it has to wait, and keeps
// only the connection, the pingWait and two small goroutines: one waiting for the answer, one
// blocked in a one-byte read that notices the phone hanging up. The answer is written on the
// connection as net/http would have, and the connection is then served by the HTTP server again
// (keep-alive), after the same idle wait net/http gives a connection between two requests.

// park hijacks the Ping's connection and waits for its answer in the background; false when
// the connection cannot be taken (then the Ping is held in its handler). ctx is the request's,
// base the Ping's own context, which hangUp ends.
func (s *Server) park(ctx, base context.Context, hangUp context.CancelFunc, w *pingWait) bool {
	home := s.home.Load()
	c := w.c
	// What the answer needs of the request, taken before the request is let go.
	header := c.w.Header().Clone()
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
	pw := &parkedWriter{header: header}
	c.w, c.r, c.body, c.raw, c.hierarchy = pw, nil, nil, nil, nil
	s.pings.parked.Add(1)
	go p.watch(hangUp, len(p.pending) == 0)
	go func() {
		resp, err := w.wait(base)
		hungUp := base.Err() != nil // before done, which ends base
		w.done()
		ok := p.stopReading() && !hungUp
		if ok {
			switch {
			case errors.Is(err, errHandled):
			case err != nil:
				s.fail(pw, c.req, c.req.Cmd, err)
			default:
				s.send(pw, accept, resp)
			}
			ok = pw.writeTo(conn, closeAfter) == nil && !closeAfter
		}
		s.pings.parked.Add(-1)
		if !ok {
			conn.Close()
			return
		}
		serveAgain(s.pings.root, home, conn, p.pending)
	}()
	return true
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
	status int
	body   bytes.Buffer
}

func (w *parkedWriter) Header() http.Header { return w.header }

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
	w.header.Del("Content-Length") // the response's own length goes out
	w.header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	r := &http.Response{StatusCode: w.status, ProtoMajor: 1, ProtoMinor: 1, Header: w.header,
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
