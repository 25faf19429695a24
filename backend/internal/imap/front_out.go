package imap

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// outScan is the write side's place in go-imap's output: the line being gathered, literal
// bytes still to pass as they are ({n} and ~{n} in FETCH output), whether the next line
// continues a response (after a literal) and what response that is.
type outScan struct {
	line []byte
	lit  int64
	cont bool
	kind string // "STATUS" or "SEARCH": the response's end is rewritten
	buf  []byte
}

// scanOut passes go-imap's output to the socket, rewriting whole response lines (never
// literal data): CAPABILITY lists, ENABLED, FETCH (MODSEQ), STATUS (HIGHESTMODSEQ), SEARCH
// (MODSEQ) and the tagged status of SELECT, STORE, LOGIN and AUTHENTICATE. Called under wmu.
func (f *front) scanOut(p []byte) (int, error) {
	total := len(p)
	o := &f.out
	sock := f.conn()
	o.buf = o.buf[:0]
	for len(p) > 0 {
		if o.lit > 0 {
			n := int(min(int64(len(p)), o.lit))
			if len(o.buf) > 0 {
				if _, err := sock.Write(o.buf); err != nil {
					return 0, err
				}
				o.buf = o.buf[:0]
			}
			if _, err := sock.Write(p[:n]); err != nil {
				return 0, err
			}
			o.lit -= int64(n)
			p = p[n:]
			continue
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			o.line = append(o.line, p...)
			break
		}
		o.line = append(o.line, p[:i+1]...)
		p = p[i+1:]
		f.outLine(o.line)
		o.line = o.line[:0]
		if cap(o.line) > maxCommand {
			o.line = nil
		}
	}
	if len(o.buf) > 0 {
		if _, err := sock.Write(o.buf); err != nil {
			return 0, err
		}
	}
	if cap(o.buf) > maxCommand { // a held IDLE keeps no large buffer from an earlier FETCH
		o.buf = nil
	}
	return total, nil
}

// outLine rewrites one complete line into o.buf.
func (f *front) outLine(line []byte) {
	o := &f.out
	if !o.cont && f.muted(line) {
		return
	}
	n, _, isLit := literalAt(line)
	if !o.cont {
		o.kind = ""
		o.buf = f.lineStart(o.buf, line)
	} else {
		o.buf = append(o.buf, line...)
	}
	if isLit {
		o.cont, o.lit = true, n
		return
	}
	o.cont = false
	if o.kind != "" {
		f.lineEnd(o.buf)
	}
}

// lineStart appends the first line of a response, rewritten.
func (f *front) lineStart(buf, line []byte) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case line[0] == '+':
		f.cont = true
	case bytes.HasPrefix(line, []byte("* ")):
		rest := line[2:]
		switch {
		case hasPrefix(rest, "CAPABILITY ") || hasPrefix(rest, "OK [CAPABILITY ") || hasPrefix(rest, "PREAUTH [CAPABILITY "):
			return append(buf, f.caps(line)...)
		case hasPrefix(rest, "ENABLED"):
			if f.cur.enable {
				f.cond.enabled = true
				return append(append(buf, bytes.TrimRight(line, "\r\n")...), " CONDSTORE\r\n"...)
			}
		case hasPrefix(rest, "STATUS "):
			f.out.kind = "STATUS"
		case hasPrefix(rest, "SEARCH"):
			f.out.kind = "SEARCH"
		default:
			return f.fetchLine(buf, line)
		}
	default:
		return f.tagged(buf, line)
	}
	return append(buf, line...)
}

func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[:len(s)]), s)
}

// fetchLine inserts MODSEQ first in a "* n FETCH (" the session noted a mod-sequence for.
func (f *front) fetchLine(buf, line []byte) []byte {
	rest := line[2:]
	sp := bytes.IndexByte(rest, ' ')
	if sp < 0 || !hasPrefix(rest[sp+1:], "FETCH (") {
		return append(buf, line...)
	}
	seq, err := strconv.ParseUint(string(rest[:sp]), 10, 32)
	if err != nil {
		return append(buf, line...)
	}
	m, ok := f.cond.fetchMod[uint32(seq)]
	if !ok {
		return append(buf, line...)
	}
	delete(f.cond.fetchMod, uint32(seq))
	at := 2 + sp + 1 + len("FETCH (")
	ins := fmtModSeq(m)
	if at < len(line) && line[at] != ')' {
		ins += " "
	}
	buf = append(buf, line[:at]...)
	buf = append(buf, ins...)
	return append(buf, line[at:]...)
}

// tagged handles the tagged status of the command being run.
func (f *front) tagged(buf, line []byte) []byte {
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 || f.cur.tag == "" || string(line[:sp]) != f.cur.tag || f.ended {
		return append(buf, line...)
	}
	f.ended = true
	ok := hasPrefix(line[sp+1:], "OK ")
	clear(f.cond.fetchMod)
	switch f.cur.name {
	case "SELECT", "EXAMINE":
		if ok && f.cond.highest > 0 {
			buf = fmt.Appendf(buf, "* OK [HIGHESTMODSEQ %d] Highest\r\n", f.cond.highest)
		}
	case "STORE", "UID STORE":
		at := sp + 1 + len("OK ")
		if ok && f.cond.modified != "" && at < len(line) && line[at] != '[' {
			buf = append(buf, line[:at]...)
			buf = append(buf, "[MODIFIED "+f.cond.modified+"] "...)
			return append(buf, line[at:]...)
		}
	case "LOGIN", "AUTHENTICATE":
		if ok {
			f.authed = true
		}
	}
	if bytes.Contains(line, []byte("[CAPABILITY ")) {
		return append(buf, f.caps(line)...)
	}
	return append(buf, line...)
}

// lineEnd rewrites the last line of a STATUS or SEARCH response, the last in buf.
func (f *front) lineEnd(buf []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := &f.out
	var ins string
	at := len(buf) - 2 // before CRLF
	if at < 0 || buf[at] != '\r' {
		at = len(buf) - 1
	}
	switch {
	case o.kind == "STATUS" && f.cur.statusHigh && f.cond.statusHigh > 0:
		at = bytes.LastIndexByte(buf, ')')
		if at < 0 {
			return
		}
		ins = fmt.Sprintf("HIGHESTMODSEQ %d", f.cond.statusHigh)
		if at > 0 && buf[at-1] != '(' {
			ins = " " + ins
		}
	case o.kind == "SEARCH" && f.cur.searchModSeq && f.cond.searchHigh > 0:
		ins = fmt.Sprintf(" (MODSEQ %d)", f.cond.searchHigh)
	default:
		return
	}
	tail := append([]byte(ins), buf[at:]...)
	o.buf = append(buf[:at], tail...)
}

// caps rewrites a capability list for the connection's state: STARTTLS before TLS (when
// there is a certificate) and before login, AUTH= or LOGINDISABLED by whether login may
// run, CONDSTORE and ID always, LITERAL- never (RFC 7888: one of the two). Called with mu held.
func (f *front) caps(line []byte) []byte {
	s := string(line)
	i := strings.Index(strings.ToUpper(s), "CAPABILITY ")
	if i < 0 {
		return line
	}
	start := i + len("CAPABILITY ")
	end := strings.IndexByte(s[start:], ']')
	if end < 0 {
		end = len(strings.TrimRight(s, "\r\n"))
	} else {
		end += start
	}
	login := f.tlsOn || f.plainOK
	var out []string
	for _, c := range strings.Fields(s[start:end]) {
		u := strings.ToUpper(c)
		if strings.HasPrefix(u, "AUTH=") && (!login || f.authed) || u == "STARTTLS" || u == "LOGINDISABLED" ||
			u == "LITERAL-" { // go-imap's own; LITERAL+ (any size, the front reads it) says more
			continue
		}
		out = append(out, c)
	}
	if !f.authed && !f.tlsOn && f.tlsCfg != nil {
		out = append(out, "STARTTLS")
	}
	if !f.authed && !login {
		out = append(out, "LOGINDISABLED")
	}
	out = append(out, "CONDSTORE", "ID")
	return []byte(s[:start] + strings.Join(out, " ") + s[end:])
}

// condState is what a connection's session tells its front for the command being run
// (values are IMAP mod-sequences), and whether CONDSTORE is on. Under front.mu.
type condState struct {
	enabled    bool
	highest    int64            // SELECT/EXAMINE: HIGHESTMODSEQ
	statusHigh int64            // STATUS: HIGHESTMODSEQ
	searchHigh int64            // SEARCH MODSEQ: the highest among the messages found
	modified   string           // STORE UNCHANGEDSINCE: the MODIFIED set
	fetchMod   map[uint32]int64 // FETCH responses to write with MODSEQ, by sequence number
}

func (c *condState) resetCommand() {
	c.highest, c.statusHigh, c.searchHigh, c.modified = 0, 0, 0, ""
	clear(c.fetchMod)
}
