package bus

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// proxy stands between a client and Redis so a test can take "Redis" away and bring it
// back on the same address without touching the shared server.
type proxy struct {
	target string
	addr   string
	silent atomic.Bool // every connection, new ones too, reads and discards: a dead network path

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]*atomic.Bool // per connection: frozen
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	p := &proxy{target: target, addr: "127.0.0.1:0", conns: map[net.Conn]*atomic.Bool{}}
	p.up(t)
	t.Cleanup(p.down)
	return p
}

// up listens again on the same address, like a restarted Redis.
func (p *proxy) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
}

// down closes the port and every connection, like Redis stopping.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// freeze silences the connections open now, for good, while new ones work: a connection
// that died without a reset, which only a missing pong reveals.
func (p *proxy) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.conns {
		f.Store(true)
	}
}

func (p *proxy) track(frozen *atomic.Bool, cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return false
	}
	for _, c := range cs {
		p.conns[c] = frozen
	}
	return true
}

func (p *proxy) serve(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	frozen := new(atomic.Bool)
	if !p.track(frozen, client, server) {
		_ = client.Close()
		_ = server.Close()
		return
	}
	go p.pipe(server, client, frozen)
	p.pipe(client, server, frozen)
}

func (p *proxy) pipe(dst, src net.Conn, frozen *atomic.Bool) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if p.silent.Load() || frozen.Load() {
			continue
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}
