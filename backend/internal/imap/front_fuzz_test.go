package imap

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// pipeConn is a socket whose client bytes come from r and whose server bytes are kept.
type pipeConn struct {
	r io.Reader
	w bytes.Buffer
}

func (c *pipeConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c *pipeConn) Write(p []byte) (int, error)      { return c.w.Write(p) }
func (c *pipeConn) Close() error                     { return nil }
func (c *pipeConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *pipeConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *pipeConn) SetDeadline(time.Time) error      { return nil }
func (c *pipeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *pipeConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzFront feeds arbitrary client bytes to the front's read side (framing, literals, the
// command rewrites, ID, STARTTLS and login refusals) and arbitrary server bytes to its write
// side. Neither may panic or loop; the write side takes every byte, and output with no
// capability list in it (no rewrite applies on a fresh connection) passes byte for byte, the
// data of literals included.
func FuzzFront(f *testing.F) {
	for _, s := range []struct{ in, out string }{
		{"a SELECT INBOX (CONDSTORE)\r\nb FETCH 1:* (FLAGS MODSEQ) (CHANGEDSINCE 5)\r\n", "* 1 FETCH (FLAGS ())\r\na OK done\r\n"},
		{"a STORE 1 (UNCHANGEDSINCE 3) +FLAGS (\\Seen)\r\nb UID SEARCH OR MODSEQ \"/flags/\\\\seen\" all 4 SUBJECT MODSEQ\r\n", "* SEARCH 1 2\r\n"},
		{"a STATUS {5}\r\nINBOX (HIGHESTMODSEQ)\r\nb ENABLE CONDSTORE UTF8=ACCEPT\r\n", "* STATUS {5}\r\nINBOX (MESSAGES 1)\r\n"},
		{"a ID (\"name\" {3+}\r\nabc)\r\nb ID NIL\r\nc ID (\"x\")\r\n", "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"},
		{"a APPEND INBOX {5}\r\nhello\r\nb IDLE\r\nDONE\r\n", "+ Ready\r\n* 1 FETCH (BODY[] {10}\r\n* 2 FETCH\r\n)\r\n"},
		{"a LOGIN {4}\r\nuser {4+}\r\npass\r\nb AUTHENTICATE PLAIN\r\n=\r\nc STARTTLS\r\n", "* 1 FETCH (BINARY[] ~{3}\r\n\x00\xff\r)\r\n"},
		{"a FETCH 1 (BODY.PEEK[HEADER.FIELDS ({7}\r\nSUBJECT)] MODSEQ)\r\na SELECT {99999}\r\n", "x OK [CAPABILITY IMAP4rev1] hi\r\n"},
		{"\r\n\"\\\r\n(((\r\n{0}\r\n\r\n", "* OK [CAPABILITY IMAP4rev1 SASL-IR] ready\r\n"},
	} {
		f.Add([]byte(s.in), []byte(s.out))
	}
	f.Fuzz(func(t *testing.T, in, out []byte) {
		c := &pipeConn{r: bytes.NewReader(in)}
		fr := newFront(c, nil, false)
		buf := make([]byte, 512)
		for i := 0; ; i++ {
			if i > 4*len(in)+100 {
				t.Fatalf("the read side loops on %q", in)
			}
			if _, err := fr.Read(buf); err != nil {
				break
			}
		}

		c2 := &pipeConn{r: bytes.NewReader(nil)}
		fr2 := newFront(c2, nil, true)
		for rest := out; len(rest) > 0; { // in pieces, as bufio writes
			n := min(len(rest), 7+len(rest)%13)
			if w, err := fr2.Write(rest[:n]); err != nil || w != n {
				t.Fatalf("Write = %d, %v of %d", w, err, n)
			}
			rest = rest[n:]
		}
		if !strings.Contains(strings.ToUpper(string(out)), "CAPABILITY") {
			// what is left unfinished (a line without its end) is held back, not lost
			got := append(c2.w.Bytes(), fr2.out.line...)
			if !bytes.Equal(got, out) {
				t.Fatalf("output changed:\n%q\n%q", out, got)
			}
		}
	})
}
