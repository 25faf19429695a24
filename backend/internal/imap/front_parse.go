package imap

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// tok is one token of a command the front reads whole: an atom (a bracketed section and what
// is in it included, as in BODY[HEADER.FIELDS (FROM)]<0.10>), a quoted string, a literal (its
// data), a space or a parenthesis. Atoms and quoted strings keep their bytes, so a command
// passes to go-imap as the client wrote it, but for what the front takes out and literals,
// which all become non-synchronising ({n+}; the front said "+" itself).
type tok struct {
	kind byte // 'a' atom, 'q' quoted, 'l' literal, ' ', '(' or ')'
	b    []byte
}

// literalAt reads the literal a line announces at its end: {n} (synchronising), {n+}
// (LITERAL+) or ~{n} (binary).
func literalAt(line []byte) (n int64, sync, ok bool) {
	l := bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	if len(l) < 3 || l[len(l)-1] != '}' {
		return 0, false, false
	}
	i := bytes.LastIndexByte(l, '{')
	if i < 0 {
		return 0, false, false
	}
	num := l[i+1 : len(l)-1]
	sync = true
	if len(num) > 0 && num[len(num)-1] == '+' {
		num, sync = num[:len(num)-1], false
	}
	v, ok := parseNumber(num)
	return v, sync, ok
}

// parseNumber reads 1 to 18 digits (below 2^63, as a mod-sequence-value is).
func parseNumber(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	return v, err == nil
}

// collect reads a command to its end from its first line, saying "+" to each synchronising
// literal itself. A status is the front's answer instead (a literal too large, which the
// client has not sent); an error ends the connection.
func (f *front) collect(tag string, line []byte) ([]tok, string, error) {
	var toks []tok
	total, depth := 0, 0
	for {
		total += len(line)
		n, sync, ok := literalAt(line)
		text := bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if !ok {
			return tokenize(toks, text, &depth), "", nil
		}
		toks = tokenize(toks, text[:bytes.LastIndexByte(text, '{')], &depth)
		if n > maxCmdLiteral || total+int(n) > maxCommand {
			if sync {
				return nil, "NO [TOOBIG] Literals are limited to 4096 bytes for this command", nil
			}
			_ = f.reply("* BYE Command too long")
			return nil, "", errTooLong
		}
		if sync {
			if err := f.reply("+ Ready for literal data"); err != nil {
				return nil, "", err
			}
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(f.br, data); err != nil {
			return nil, "", err
		}
		toks = append(toks, tok{kind: 'l', b: data})
		total += int(n)
		var err error
		if line, err = f.readLine(); err != nil {
			return nil, "", err
		}
	}
}

// tokenize appends the tokens of one line's text (no CRLF, no literal marker); depth is the
// bracket depth, carried over a literal (BODY[HEADER.FIELDS ({7}\r\nSUBJECT)]).
func tokenize(toks []tok, s []byte, depth *int) []tok {
	for i := 0; i < len(s); {
		c := s[i]
		if *depth > 0 {
			c = 'a' // inside brackets: an atom, to their end
		}
		switch c {
		case ' ', '(', ')':
			toks = append(toks, tok{kind: c})
			i++
		case '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(s)) // past the closing quote (an unclosed one runs to the end)
			toks = append(toks, tok{kind: 'q', b: s[i:j]})
			i = j
		default:
			j := i
		atom:
			for ; j < len(s); j++ {
				switch d := s[j]; {
				case d == '[':
					*depth++
				case d == ']' && *depth > 0:
					*depth--
				case *depth == 0 && (d == ' ' || d == '(' || d == ')' || d == '"'):
					break atom
				}
			}
			toks = append(toks, tok{kind: 'a', b: s[i:j]})
			i = j
		}
	}
	return toks
}

// serialize writes a command back, its literals non-synchronising.
func serialize(toks []tok) []byte {
	var b []byte
	for _, t := range toks {
		switch t.kind {
		case 'a', 'q':
			b = append(b, t.b...)
		case 'l':
			b = fmt.Appendf(b, "{%d+}\r\n", len(t.b))
			b = append(b, t.b...)
		default:
			b = append(b, t.kind)
		}
	}
	return append(b, "\r\n"...)
}

// nextWord is the index of the first token at or after i that is not a space (len(toks) if
// none).
func nextWord(toks []tok, i int) int {
	for i < len(toks) && toks[i].kind == ' ' {
		i++
	}
	return i
}

// closing is the index of the ')' that closes the '(' at open (-1 if none).
func closing(toks []tok, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch toks[i].kind {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// elements splits the list toks[open..close] into its elements: the runs of tokens between
// its spaces (nested lists whole; an atom, a literal and an atom with no space between, as in
// BODY[HEADER.FIELDS ({7}\r\nSUBJECT)], are one element).
func elements(toks []tok, open, close int) [][]tok {
	var out [][]tok
	for i := nextWord(toks, open+1); i < close; i = nextWord(toks, i) {
		j, depth := i, 0
		for ; j < close; j++ {
			k := toks[j].kind
			if k == ' ' && depth == 0 {
				break
			}
			if k == '(' {
				depth++
			} else if k == ')' {
				depth--
			}
		}
		out = append(out, toks[i:j])
		i = j
	}
	return out
}

// list writes elements as a list.
func list(elems [][]tok) []tok {
	out := []tok{{kind: '('}}
	for i, e := range elems {
		if i > 0 {
			out = append(out, tok{kind: ' '})
		}
		out = append(out, e...)
	}
	return append(out, tok{kind: ')'})
}

// splice replaces toks[i:j] with repl.
func splice(toks []tok, i, j int, repl []tok) []tok {
	return append(append(append([]tok{}, toks[:i]...), repl...), toks[j:]...)
}

// isAtom says whether a token is the atom word, in any case.
func isAtom(t []tok, word string) bool {
	return len(t) == 1 && t[0].kind == 'a' && bytes.EqualFold(t[0].b, []byte(word))
}
