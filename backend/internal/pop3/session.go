package pop3

import (
	"bufio"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
)

type state int

const (
	stateAuthorization state = iota
	stateTransaction
)

// handshakeTimeout bounds a TLS handshake (implicit TLS or STLS).
const handshakeTimeout = 30 * time.Second

var (
	errClosing  = errors.New("server closing")
	errLineLong = errors.New("line too long")
)

// session is one client connection. Only its own goroutine touches it, except shutdown.
type session struct {
	srv      *Server
	raw      net.Conn // the TCP connection: deadlines and the forced close work on it under TLS too
	conn     net.Conn // raw, or the TLS connection over it
	r        *bufio.Reader
	w        *bufio.Writer
	log      *slog.Logger
	ip       string
	loopback bool
	secure   bool

	mu      sync.Mutex
	closing bool

	state state
	bad   int
	user  string // from USER, for the next PASS
	grant *authn.Grant
	msgs  []message
}

// message is one entry of the maildrop snapshot taken at login.
type message struct {
	id      uint64
	size    int64
	deleted bool
}

func newSession(srv *Server, c net.Conn) *session {
	ip := c.RemoteAddr().String()
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	parsed := net.ParseIP(ip)
	s := &session{srv: srv, raw: c, conn: c, ip: ip, loopback: parsed != nil && parsed.IsLoopback(),
		log: srv.d.Log.With("client", ip)}
	if tc, ok := c.(*tls.Conn); ok {
		s.raw = tc.NetConn()
		s.secure = true
	}
	s.setConn(s.conn)
	return s
}

func (s *session) setConn(c net.Conn) {
	s.conn = c
	s.r = bufio.NewReaderSize(c, 4096)
	s.w = bufio.NewWriterSize(c, 8192)
}

// run serves the connection until it ends.
func (s *session) run() {
	defer s.raw.Close()
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("pop3 session panic", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	if tc, ok := s.conn.(*tls.Conn); ok {
		if err := s.handshake(tc); err != nil {
			return
		}
	}
	if !s.reply("+OK Tessera POP3 server ready") {
		return
	}
	for {
		line, err := s.readLine()
		switch {
		case errors.Is(err, errLineLong):
			if !s.fail("-ERR Line too long") {
				return
			}
			continue
		case err != nil:
			s.ended(err)
			return
		}
		if !s.dispatch(line) {
			return
		}
	}
}

// ended says goodbye where the client can still hear it.
func (s *session) ended(err error) {
	var ne net.Error
	switch {
	case s.isClosing():
		s.reply("-ERR [SYS/TEMP] Server shutting down, try again later")
	case errors.As(err, &ne) && ne.Timeout():
		s.reply("-ERR Idle timeout, closing connection")
	}
}

func (s *session) handshake(tc *tls.Conn) error {
	_ = s.raw.SetDeadline(time.Now().Add(min(handshakeTimeout, s.srv.d.Options.IdleTimeout)))
	err := tc.HandshakeContext(s.srv.ctx)
	_ = s.raw.SetDeadline(time.Time{})
	if err != nil {
		s.log.Debug("pop3 TLS handshake failed", "err", err)
	}
	return err
}

// shutdown makes the session's current or next read return at once (Server.Close).
func (s *session) shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	_ = s.raw.SetReadDeadline(time.Now())
}

func (s *session) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// readLine reads one line without its CRLF (a bare LF is taken too). A line longer than
// MaxLine is read to its end and dropped (errLineLong), so the next one starts clean.
func (s *session) readLine() (string, error) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return "", errClosing
	}
	err := s.raw.SetReadDeadline(time.Now().Add(s.srv.d.Options.IdleTimeout))
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	var line []byte
	long := false
	for {
		frag, err := s.r.ReadSlice('\n')
		if !long {
			line = append(line, frag...)
			if len(line) > MaxLine {
				long, line = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return "", err
		}
		break
	}
	if long {
		return "", errLineLong
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// reply sends one line; false when the connection is gone.
func (s *session) reply(line string) bool {
	s.w.WriteString(line)
	s.w.WriteString("\r\n")
	return s.flush()
}

func (s *session) flush() bool {
	_ = s.raw.SetWriteDeadline(time.Now().Add(s.srv.d.Options.IdleTimeout))
	if err := s.w.Flush(); err != nil {
		s.log.Debug("pop3 write failed", "err", err)
		return false
	}
	return true
}

// fail answers a bad command and counts it; false when the connection is to end (too many,
// or the reply could not be sent).
func (s *session) fail(line string) bool {
	s.bad++
	ok := s.reply(line)
	if s.bad >= s.srv.d.Options.MaxBadCommands {
		s.log.Info("pop3 connection closed after too many bad commands", "count", s.bad)
		return false
	}
	return ok
}
