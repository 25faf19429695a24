package imap

import (
	"sort"
	"strings"

	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// mailboxFlags are the flags SELECT announces; PERMANENTFLAGS adds \* (keywords are kept).
var (
	mailboxFlags = []goimap.Flag{goimap.FlagSeen, goimap.FlagAnswered, goimap.FlagFlagged, goimap.FlagDeleted, goimap.FlagDraft}
	permFlags    = append(append([]goimap.Flag{}, mailboxFlags...), goimap.FlagWildcard)
)

// toStored splits a flag set into the item's fields. \Recent cannot be set; system flags are
// written in their canonical case, keywords as sent, each once.
func toStored(fs []goimap.Flag) mailbox.Flags {
	var f mailbox.Flags
	seen := map[string]bool{}
	var other []string
	for _, fl := range fs {
		s := string(fl)
		switch strings.ToLower(s) {
		case `\seen`:
			f.Read = true
			continue
		case `\flagged`:
			f.Flagged = true
			continue
		case `\recent`, `\*`, "":
			continue
		case `\answered`:
			s = string(goimap.FlagAnswered)
		case `\draft`:
			s = string(goimap.FlagDraft)
		case `\deleted`:
			s = string(goimap.FlagDeleted)
		}
		if !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			other = append(other, s)
		}
	}
	sort.Strings(other)
	f.Other = strings.Join(other, " ")
	return f
}

// applyStore computes the flags after a STORE.
func applyStore(cur []goimap.Flag, sf *goimap.StoreFlags) []goimap.Flag {
	switch sf.Op {
	case goimap.StoreFlagsSet:
		return sf.Flags
	case goimap.StoreFlagsAdd:
		return append(append([]goimap.Flag{}, cur...), sf.Flags...)
	default:
		var out []goimap.Flag
		for _, c := range cur {
			drop := false
			for _, d := range sf.Flags {
				if strings.EqualFold(string(c), string(d)) {
					drop = true
				}
			}
			if !drop {
				out = append(out, c)
			}
		}
		return out
	}
}

func hasFlag(fs []goimap.Flag, f goimap.Flag) bool {
	for _, x := range fs {
		if strings.EqualFold(string(x), string(f)) {
			return true
		}
	}
	return false
}
