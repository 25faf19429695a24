package imap

import (
	"bytes"
	"fmt"
)

// command is what the front knows of the command go-imap runs: its tag and name and the
// CONDSTORE parts (RFC 7162) it took out of it for the session.
type command struct {
	tag, name string

	condstore      bool  // a CONDSTORE-enabling form: the connection has CONDSTORE on from now
	enable         bool  // ENABLE CONDSTORE
	fetchModSeq    bool  // FETCH ... MODSEQ
	changedSince   int64 // FETCH ... (CHANGEDSINCE n), when hasChanged
	hasChanged     bool
	unchangedSince int64 // STORE ... (UNCHANGEDSINCE n), when hasUnchanged
	hasUnchanged   bool
	searchModSeq   bool // SEARCH ... MODSEQ n (turned into HEADER ":modseq" "n")
	statusHigh     bool // STATUS ... (HIGHESTMODSEQ)
}

// modSeqKey is the HEADER key a SEARCH MODSEQ n becomes for go-imap's parser: no header
// field can be named so (":" ends a field name), and the session reads it as MODSEQ.
const modSeqKey = ":modseq"

// rewrite takes the CONDSTORE syntax go-imap's parser refuses out of a command into c.
// Anything else passes unchanged (what go-imap does not know it answers BAD).
func rewrite(c *command, toks []tok) []tok {
	// args: the index of the first argument (after the tag, the name and UID's sub-name)
	args := nextWord(toks, 0)
	for words := 1 + bytes.Count([]byte(c.name), []byte(" ")) + 1; words > 0 && args < len(toks); words-- {
		args = nextWord(toks, args+1)
	}
	switch c.name {
	case "SELECT", "EXAMINE":
		return rewriteSelect(c, toks, args)
	case "FETCH", "UID FETCH":
		return rewriteFetch(c, toks, args)
	case "STORE", "UID STORE":
		return rewriteStore(c, toks, args)
	case "SEARCH", "UID SEARCH":
		return rewriteSearch(c, toks, args)
	case "STATUS":
		return rewriteStatus(c, toks, args)
	case "ENABLE":
		return rewriteEnable(c, toks, args)
	}
	return toks
}

// dropAtom removes the atom word from the list at open, and the list when that empties it
// (with the space before it); found says whether it was there.
func dropAtom(toks []tok, open int, word string) (out []tok, found bool) {
	end := closing(toks, open)
	if end < 0 {
		return toks, false
	}
	var keep [][]tok
	for _, e := range elements(toks, open, end) {
		if isAtom(e, word) {
			found = true
		} else {
			keep = append(keep, e)
		}
	}
	if !found {
		return toks, false
	}
	if len(keep) == 0 && open > 0 && toks[open-1].kind == ' ' {
		return splice(toks, open-1, end+1, nil), true
	}
	return splice(toks, open, end+1, list(keep)), true
}

// SELECT mailbox (CONDSTORE)
func rewriteSelect(c *command, toks []tok, args int) []tok {
	p := nextWord(toks, args+1)
	if p >= len(toks) || toks[p].kind != '(' {
		return toks
	}
	out, found := dropAtom(toks, p, "CONDSTORE")
	if found {
		c.condstore = true
	}
	return out
}

// FETCH set MODSEQ | (... MODSEQ ...) [(CHANGEDSINCE n)]
func rewriteFetch(c *command, toks []tok, args int) []tok {
	a := nextWord(toks, args+1)
	if a >= len(toks) {
		return toks
	}
	end := a
	switch {
	case isAtom(toks[a:a+1], "MODSEQ"):
		toks = splice(toks, a, a+1, []tok{{kind: '('}, {kind: ')'}})
		end, c.fetchModSeq = a+1, true
	case toks[a].kind == '(':
		if end = closing(toks, a); end < 0 {
			return toks
		}
		var keep [][]tok
		for _, e := range elements(toks, a, end) {
			if isAtom(e, "MODSEQ") {
				c.fetchModSeq = true
			} else {
				keep = append(keep, e)
			}
		}
		if c.fetchModSeq {
			toks = splice(toks, a, end+1, list(keep))
			end = a + len(list(keep)) - 1
		}
	}
	m := nextWord(toks, end+1)
	if m < len(toks) && toks[m].kind == '(' {
		if mEnd := closing(toks, m); mEnd > 0 {
			el := elements(toks, m, mEnd)
			if len(el) == 2 && isAtom(el[0], "CHANGEDSINCE") && len(el[1]) == 1 {
				if v, ok := parseNumber(el[1][0].b); ok {
					c.changedSince, c.hasChanged = v, true
					toks = splice(toks, end+1, mEnd+1, nil)
				}
			}
		}
	}
	c.condstore = c.fetchModSeq || c.hasChanged
	return toks
}

// STORE set (UNCHANGEDSINCE n) +FLAGS ...
func rewriteStore(c *command, toks []tok, args int) []tok {
	m := nextWord(toks, args+1)
	if m >= len(toks) || toks[m].kind != '(' {
		return toks
	}
	mEnd := closing(toks, m)
	if mEnd < 0 {
		return toks
	}
	el := elements(toks, m, mEnd)
	if len(el) != 2 || !isAtom(el[0], "UNCHANGEDSINCE") || len(el[1]) != 1 {
		return toks
	}
	v, ok := parseNumber(el[1][0].b)
	if !ok {
		return toks
	}
	c.unchangedSince, c.hasUnchanged, c.condstore = v, true, true
	return splice(toks, m, nextWord(toks, mEnd+1), nil)
}

// searchArgs is how many arguments a SEARCH key takes (those not listed take none), so that an
// argument spelt MODSEQ (SUBJECT MODSEQ) is not read as the key.
var searchArgs = map[string]int{
	"BCC": 1, "BEFORE": 1, "BODY": 1, "CC": 1, "FROM": 1, "KEYWORD": 1, "LARGER": 1, "ON": 1,
	"SENTBEFORE": 1, "SENTON": 1, "SENTSINCE": 1, "SINCE": 1, "SMALLER": 1, "SUBJECT": 1,
	"TEXT": 1, "TO": 1, "UID": 1, "UNKEYWORD": 1, "CHARSET": 1, "HEADER": 2,
}

// SEARCH ... MODSEQ ["entry-name" entry-type] n ...
func rewriteSearch(c *command, toks []tok, args int) []tok {
	for i := args; i < len(toks); i = nextWord(toks, i+1) {
		if toks[i].kind != 'a' {
			continue
		}
		word := string(bytes.ToUpper(toks[i].b))
		if n := searchArgs[word]; n > 0 {
			for ; n > 0 && i < len(toks); n-- {
				i = nextWord(toks, i+1)
			}
			continue
		}
		if word != "MODSEQ" {
			continue
		}
		j := nextWord(toks, i+1)
		if j < len(toks) && (toks[j].kind == 'q' || toks[j].kind == 'l') { // entry name and type: one store
			j = nextWord(toks, nextWord(toks, j+1)+1)
		}
		if j >= len(toks) || toks[j].kind != 'a' {
			return toks
		}
		if _, ok := parseNumber(toks[j].b); !ok {
			return toks
		}
		c.searchModSeq, c.condstore = true, true
		repl := []tok{{kind: 'a', b: []byte("HEADER")}, {kind: ' '}, {kind: 'q', b: []byte(`"` + modSeqKey + `"`)},
			{kind: ' '}, {kind: 'q', b: []byte(`"` + string(toks[j].b) + `"`)}}
		toks = splice(toks, i, j+1, repl)
		i += len(repl) - 1
	}
	return toks
}

// STATUS mailbox (... HIGHESTMODSEQ ...)
func rewriteStatus(c *command, toks []tok, args int) []tok {
	p := nextWord(toks, args+1)
	if p >= len(toks) || toks[p].kind != '(' {
		return toks
	}
	end := closing(toks, p)
	if end < 0 {
		return toks
	}
	var keep [][]tok
	for _, e := range elements(toks, p, end) {
		if isAtom(e, "HIGHESTMODSEQ") {
			c.statusHigh, c.condstore = true, true
		} else {
			keep = append(keep, e)
		}
	}
	if !c.statusHigh {
		return toks
	}
	return splice(toks, p, end+1, list(keep))
}

// ENABLE ... CONDSTORE ...
func rewriteEnable(c *command, toks []tok, args int) []tok {
	out := append([]tok{}, toks[:args]...)
	for i := args; i < len(toks); i++ {
		if isAtom(toks[i:i+1], "CONDSTORE") {
			c.enable, c.condstore = true, true
			continue
		}
		if toks[i].kind != ' ' {
			out = append(out, toks[i])
			if i+1 < len(toks) {
				out = append(out, tok{kind: ' '})
			}
		}
	}
	for len(out) > 0 && out[len(out)-1].kind == ' ' {
		out = out[:len(out)-1]
	}
	return out
}

// answerID answers ID (RFC 2971) in any state: the client's parameters are NIL or a list of
// at most 30 field/value pairs, which are read and not kept.
func (f *front) answerID(tag string, toks []tok) error {
	a := nextWord(toks, nextWord(toks, 1)+1)
	ok := false
	switch {
	case a < len(toks) && isAtom(toks[a:a+1], "NIL"):
		ok = nextWord(toks, a+1) == len(toks)
	case a < len(toks) && toks[a].kind == '(':
		end := closing(toks, a)
		if end > 0 && nextWord(toks, end+1) == len(toks) {
			el := elements(toks, a, end)
			ok = len(el)%2 == 0 && len(el) <= 60
			for _, e := range el {
				ok = ok && len(e) == 1 && (e[0].kind == 'q' || e[0].kind == 'l' || isAtom(e, "NIL"))
			}
		}
	}
	if !ok {
		return f.reply(tag + " BAD Syntax error: ID takes NIL or a list of field/value pairs")
	}
	return f.reply(`* ID ("name" "Tessera" "vendor" "Tessera")`, tag+" OK ID completed")
}

// fmtModSeq writes a MODSEQ fetch item.
func fmtModSeq(v int64) string { return fmt.Sprintf("MODSEQ (%d)", v) }
