package imap

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"time"

	goimap "github.com/emersion/go-imap/v2"
)

// The front's side of a held IDLE (idlepark.go).

func (f *front) session() *session {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sess
}

// setSession notes the connection's session; false when it has one (a go-imap Conn after a
// held IDLE, which gets the same session).
func (f *front) setSession(s *session) (*session, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sess != nil {
		return f.sess, false
	}
	f.sess = s
	return s, true
}

func (f *front) parking() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.park != nil
}

// writeParked writes lines of the front's own through the same rewriting as go-imap's output
// (MODSEQ in FETCH, the tagged status); a connection that cannot take them is closed.
func (f *front) writeParked(b []byte) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	c := f.conn()
	c.SetWriteDeadline(time.Now().Add(30 * time.Second))
	_, err := f.scanOut(b)
	c.SetWriteDeadline(time.Time{})
	if err != nil {
		c.Close()
	}
	if cap(f.out.buf) > 512 { // what a held IDLE keeps between two writes
		f.out.buf = nil
	}
	return err
}

// readParked reads the line that ends a held IDLE. While it waits, no read buffer is kept
// unless the client sent more than the IDLE line: one byte is read into the park, and the
// buffer comes back with it.
func (f *front) readParked(one *[1]byte) ([]byte, error) {
	if f.br.Buffered() > 0 {
		return f.readLine()
	}
	f.br = nil
	f.wmu.Lock()
	f.out.line, f.out.buf = nil, nil
	f.wmu.Unlock()
	sock := f.conn()
	for {
		n, err := sock.Read(one[:])
		if err != nil {
			f.br = bufio.NewReaderSize(sock, 1024) // a closed connection reads an error again
			return nil, err
		}
		if n == 1 {
			break
		}
	}
	f.br = bufio.NewReaderSize(sock, 1024)
	if one[0] == '\n' {
		return []byte{'\n'}, nil
	}
	rest, err := f.readLine()
	return append([]byte{one[0]}, rest...), err
}

// muted says whether a line of go-imap's output is kept from the client: after a held IDLE,
// the new Conn's greeting and the answer to the SELECT the front replays.
func (f *front) muted(line []byte) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mute == "" {
		return false
	}
	if bytes.HasPrefix(line, []byte(f.mute)) {
		if f.mute == resumeTag+" " {
			f.ended = true
		}
		f.mute = ""
	}
	return true
}

// statusText is a failed look's tagged status as go-imap writes it.
func statusText(err error) string {
	var ie *goimap.Error
	if !errors.As(err, &ie) {
		return "NO [SERVERBUG] Internal server error"
	}
	if ie.Code != "" {
		return fmt.Sprintf("%s [%s] %s", ie.Type, ie.Code, ie.Text)
	}
	return fmt.Sprintf("%s %s", ie.Type, ie.Text)
}

// parkWriter writes a held IDLE's untagged responses as go-imap's UpdateWriter does.
type parkWriter struct{ f *front }

func (w parkWriter) WriteExpunge(seq uint32) error {
	return w.f.writeParked(fmt.Appendf(nil, "* %d EXPUNGE\r\n", seq))
}

func (w parkWriter) WriteNumMessages(n uint32) error {
	return w.f.writeParked(fmt.Appendf(nil, "* %d EXISTS\r\n", n))
}

func (w parkWriter) WriteMessageFlags(seq uint32, uid goimap.UID, flags []goimap.Flag) error {
	b := fmt.Appendf(nil, "* %d FETCH (", seq)
	if uid != 0 {
		b = fmt.Appendf(b, "UID %d ", uid)
	}
	b = append(b, "FLAGS ("...)
	for i, fl := range flags {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, fl...)
	}
	return w.f.writeParked(append(b, "))\r\n"...))
}
