package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// imapConn is the smallest IMAP client the measurements need: tagged commands over a plain
// loopback connection (the server runs with TESSERA_MAIL_PLAINTEXT_LOOPBACK=true), no parsing
// beyond reading literals whole. Written here rather than taken from go-imap's client so that
// 10,000 of them cost little in the load generator and nothing hides a round trip.
type imapConn struct {
	c   net.Conn
	r   *bufio.Reader
	tag int
}

// dialIMAP connects and reads the greeting.
func dialIMAP(addr string) (*imapConn, error) {
	c, err := net.DialTimeout("tcp", addr, 30*time.Second)
	if err != nil {
		return nil, err
	}
	ic := &imapConn{c: c, r: bufio.NewReaderSize(c, 1024)}
	c.SetDeadline(time.Now().Add(time.Minute))
	g, err := ic.line()
	if err != nil || !strings.HasPrefix(g, "* OK") {
		c.Close()
		return nil, fmt.Errorf("greeting %q: %v", g, err)
	}
	return ic, nil
}

// login dials, logs in with account i's application passcode and selects a folder.
func loginIMAP(addr string, i int, folder string) (*imapConn, error) {
	ic, err := dialIMAP(addr)
	if err != nil {
		return nil, err
	}
	if _, err := ic.ok("LOGIN " + user(i) + " " + appSecret(i)); err != nil {
		ic.c.Close()
		return nil, err
	}
	if folder != "" {
		if _, err := ic.ok("SELECT " + folder); err != nil {
			ic.c.Close()
			return nil, err
		}
	}
	return ic, nil
}

// line reads one response line; a literal {n} at its end is read and appended.
func (ic *imapConn) line() (string, error) {
	var sb strings.Builder
	for {
		l, err := ic.r.ReadString('\n')
		if err != nil {
			return sb.String() + l, err
		}
		l = strings.TrimRight(l, "\r\n")
		sb.WriteString(l)
		i := strings.LastIndexByte(l, '{')
		if i < 0 || !strings.HasSuffix(l, "}") {
			return sb.String(), nil
		}
		n, err := strconv.Atoi(strings.TrimSuffix(l[i+1:len(l)-1], "+"))
		if err != nil {
			return sb.String(), nil
		}
		if _, err := io.CopyN(&sb, ic.r, int64(n)); err != nil {
			return sb.String(), err
		}
	}
}

// ok sends a tagged command (raw may carry a LITERAL+ literal) and reads up to its tagged
// reply; it returns how many untagged lines came before it.
func (ic *imapConn) ok(raw string) (untagged int, err error) {
	ic.tag++
	tag := "e" + strconv.Itoa(ic.tag)
	ic.c.SetDeadline(time.Now().Add(time.Minute))
	if _, err := io.WriteString(ic.c, tag+" "+raw+"\r\n"); err != nil {
		return 0, err
	}
	for {
		l, err := ic.line()
		if err != nil {
			return untagged, fmt.Errorf("%s: %w", firstWord(raw), err)
		}
		if strings.HasPrefix(l, tag+" ") {
			if st := l[len(tag)+1:]; !strings.HasPrefix(st, "OK") {
				return untagged, fmt.Errorf("%s: %s", firstWord(raw), st)
			}
			return untagged, nil
		}
		untagged++
	}
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

// isExists reports whether l is "* N EXISTS".
func isExists(l string) bool {
	f := strings.Fields(l)
	return len(f) == 3 && f[0] == "*" && f[2] == "EXISTS"
}
