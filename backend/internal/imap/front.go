package imap

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// front owns one connection's byte stream between the socket and go-imap's Conn, which reads
// and writes it as its net.Conn (see doc.go for what it does and why). Its read side runs only
// on the goroutine go-imap reads on; the write side runs under wmu; what both sides share is
// under mu.
type front struct {
	mu      sync.Mutex
	sock    net.Conn
	tlsCfg  *tls.Config // STARTTLS (nil: not offered)
	plainOK bool        // login allowed without TLS (loopback, when configured)
	tlsOn   bool
	authed  bool
	cur     command // the command go-imap is running (or last ran)
	ended   bool    // its tagged response was written
	cont    bool    // a continuation request was written since it began
	cond    condState
	sess    *session  // the connection's session, kept across go-imap Conns (idlepark.go)
	park    *idlePark // an IDLE the front holds
	handed  bool      // go-imap's Conn has let the held IDLE's connection go (front.Close)
	mute    string    // go-imap's output is not sent up to a line starting so (after IDLE)

	wmu sync.Mutex
	out outScan

	// read side
	br      *bufio.Reader
	in      []byte // bytes for go-imap not yet read
	litLeft int64  // literal bytes to pass through as they are
	mode    readMode
	syncLit int64 // the synchronising literal go-imap is asked about (modeSyncWait)
}

type readMode int

const (
	modeCommand  readMode = iota // the next line starts a command
	modeCont                     // the next line continues a passed-through command (after a literal)
	modeSyncWait                 // go-imap answers a synchronising literal with "+" or a tagged status
	modePass                     // IDLE or AUTHENTICATE: lines pass until the tagged status
)

// Bounds: a command the front reads whole (every command but APPEND, IDLE and AUTHENTICATE)
// is at most maxCommand bytes with literals of at most maxCmdLiteral each (go-imap's own
// bounds for such commands are 50 KiB and 4096 bytes); a line of any kind at most maxCommand.
const (
	maxCommand    = 64 * 1024
	maxCmdLiteral = 4096
)

var errTooLong = errors.New("imap: line too long")

func newFront(c net.Conn, tlsCfg *tls.Config, plainOK bool) *front {
	_, isTLS := c.(*tls.Conn)
	// A small buffer: lines longer than it are gathered, literals bypass it; an IDLE the front
	// holds lets it go while it waits (frontpark.go).
	f := &front{sock: c, tlsCfg: tlsCfg, plainOK: plainOK, tlsOn: isTLS, br: bufio.NewReaderSize(c, 1024)}
	f.cond.fetchMod = map[uint32]int64{}
	return f
}

func (f *front) conn() net.Conn {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sock
}

// Read gives go-imap the client's bytes: a command at a time (never past its end, so that
// go-imap has run every earlier command when it reads the next), literals as they come.
func (f *front) Read(p []byte) (int, error) {
	for len(f.in) == 0 {
		if f.litLeft > 0 {
			n, err := f.br.Read(p[:min(int64(len(p)), f.litLeft)])
			f.litLeft -= int64(n)
			return n, err
		}
		if err := f.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, f.in)
	f.in = f.in[n:]
	return n, nil
}

// next fills f.in (or f.litLeft) with what comes next from the client.
func (f *front) next() error {
	switch f.mode {
	case modeSyncWait:
		f.mu.Lock()
		granted := f.cont && !f.ended
		f.mu.Unlock()
		f.mode = modeCommand
		if granted {
			f.litLeft, f.mode = f.syncLit, modeCont
		}
		return nil
	case modePass:
		f.mu.Lock()
		ended := f.ended
		f.mu.Unlock()
		if ended {
			f.mode = modeCommand
			return nil
		}
		line, err := f.readLine()
		f.in = line
		return err
	case modeCont:
		line, err := f.readLine()
		if err != nil {
			return err
		}
		f.in = line
		f.passLiteral(line)
		return nil
	}
	line, err := f.readLine()
	if err != nil {
		return err
	}
	tag, name := commandName(line)
	switch name {
	case "":
		f.begin(command{tag: tag})
		f.in = line
		f.passLiteral(line)
	case "APPEND":
		f.begin(command{tag: tag, name: name})
		f.in = line
		f.passLiteral(line)
	case "AUTHENTICATE", "LOGIN":
		if !f.loginAllowed() {
			return f.refuse(tag, line, "NO [PRIVACYREQUIRED] TLS is required to log in")
		}
		if name == "LOGIN" {
			return f.whole(tag, name, line)
		}
		f.begin(command{tag: tag, name: name})
		f.in, f.mode = line, modePass
	case "IDLE":
		if s := f.session(); s != nil && s.takeIdle(tag, line) {
			f.in = nil
			return io.EOF // go-imap's Conn ends here; the front holds the IDLE
		}
		f.begin(command{tag: tag, name: name})
		f.in, f.mode = line, modePass
	case "STARTTLS":
		return f.startTLS(tag, line)
	default:
		return f.whole(tag, name, line)
	}
	return nil
}

// begin records the command go-imap is about to read.
func (f *front) begin(c command) {
	f.mu.Lock()
	f.cur, f.ended, f.cont = c, false, false
	f.cond.resetCommand()
	if c.condstore && !c.enable { // ENABLE turns it on when go-imap answers ENABLED
		f.cond.enabled = true
	}
	f.mu.Unlock()
}

// passLiteral notes a literal announced at the end of a passed-through line: a
// non-synchronising one follows at once, a synchronising one once go-imap says "+".
func (f *front) passLiteral(line []byte) {
	n, sync, ok := literalAt(line)
	switch {
	case !ok:
		f.mode = modeCommand
	case sync:
		f.mode, f.syncLit = modeSyncWait, n
	default:
		f.mode, f.litLeft = modeCont, n
	}
}

// whole reads the rest of a command, rewrites it and hands it to go-imap, or answers it.
func (f *front) whole(tag, name string, first []byte) error {
	toks, status, err := f.collect(tag, first)
	if err != nil || status != "" {
		if err == nil && status != "" {
			err = f.reply(tag + " " + status)
		}
		return err
	}
	c := command{tag: tag, name: name}
	switch name {
	case "ID":
		return f.answerID(tag, toks)
	case "LOGIN":
		// passed unchanged
	default:
		toks = rewrite(&c, toks)
	}
	f.begin(c)
	f.in = serialize(toks)
	return nil
}

// refuse answers a command without reading what a synchronising literal would have brought
// (the client waits for "+" and sends nothing more); the rest of the command is read first.
func (f *front) refuse(tag string, first []byte, status string) error {
	if _, sync, ok := literalAt(first); !ok || !sync {
		if _, st, err := f.collect(tag, first); err != nil {
			return err
		} else if st != "" {
			status = st
		}
	}
	return f.reply(tag + " " + status)
}

// reply writes lines of the front's own (each without CRLF).
func (f *front) reply(lines ...string) error {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	return f.writeOwn(b.Bytes())
}

// writeOwn writes to the socket between go-imap's responses (go-imap flushes each one).
func (f *front) writeOwn(b []byte) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	c := f.conn()
	c.SetWriteDeadline(time.Now().Add(30 * time.Second))
	defer c.SetWriteDeadline(time.Time{})
	_, err := c.Write(b)
	return err
}

// readLine reads one line, its CRLF included.
func (f *front) readLine() ([]byte, error) {
	var line []byte
	for {
		part, err := f.br.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxCommand {
			_ = f.reply("* BYE Command line too long")
			return nil, errTooLong
		}
		if err == nil {
			return line, nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if err == io.EOF && len(line) > 0 {
				return line, nil
			}
			return nil, err
		}
	}
}

// commandName reads a line's tag and command name ("UID FETCH" for UID commands).
func commandName(line []byte) (tag, name string) {
	s := strings.TrimRight(string(line[:min(len(line), 64)]), "\r\n")
	parts := strings.SplitN(s, " ", 4)
	if len(parts) < 2 {
		return "", ""
	}
	tag, name = parts[0], strings.ToUpper(parts[1])
	if name == "UID" && len(parts) > 2 {
		name += " " + strings.ToUpper(parts[2])
	}
	return tag, name
}

// net.Conn, for go-imap.

func (f *front) Write(p []byte) (int, error) {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return f.scanOut(p)
}

// Close ends the connection, but for the Close of a go-imap Conn leaving a held IDLE to the
// front: hold then waits for DONE on its own goroutine.
func (f *front) Close() error {
	f.mu.Lock()
	p := f.park
	handing := p != nil && !f.handed
	if handing {
		f.handed = true
	}
	f.mu.Unlock()
	if handing {
		go p.hold()
		return nil
	}
	return f.conn().Close()
}

func (f *front) LocalAddr() net.Addr                { return f.conn().LocalAddr() }
func (f *front) RemoteAddr() net.Addr               { return f.conn().RemoteAddr() }
func (f *front) SetDeadline(t time.Time) error      { return f.conn().SetDeadline(t) }
func (f *front) SetReadDeadline(t time.Time) error  { return f.conn().SetReadDeadline(t) }
func (f *front) SetWriteDeadline(t time.Time) error { return f.conn().SetWriteDeadline(t) }
