package imap

import (
	"slices"
	"strings"

	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// flagSet is a message's flags in a view, held without a pointer so that a view is one flat
// block: copying the kept index of 100,000 messages for a SELECT is then a plain memory copy
// the collector never scans (with a flag slice per entry it was 8.8 MB of pointers to copy
// behind write barriers, most of a SELECT's time: docs/performance.md). Bit 0 is \Seen and
// bit 1 \Flagged (the item's Read and Flagged); the bits above are the number, in the view's
// flagTable, of the rest of the flags (\Answered, \Draft, \Deleted and keywords), 0 for none.
type flagSet uint32

const (
	flagSeenBit    flagSet = 1
	flagFlaggedBit flagSet = 2
	flagRestShift          = 2
)

func (f flagSet) seen() bool { return f&flagSeenBit != 0 }

// plainFlags are the flags of a message with no flag beyond \Seen and \Flagged, by those two
// bits. Every slice a flagTable hands out is shared: callers copy before they change one.
var plainFlags = [4][]goimap.Flag{{}, {goimap.FlagSeen}, {goimap.FlagFlagged}, {goimap.FlagSeen, goimap.FlagFlagged}}

// flagNames is one set of the rest of the flags, in its stored form, and the four flag lists
// it makes with \Seen and \Flagged (those two first, then the rest), made once.
type flagNames struct {
	other string
	lists [4][]goimap.Flag
}

// flagTable numbers a view's sets of flags beyond \Seen and \Flagged. Its names are never
// changed once added, so a view lent from the kept index shares them (lend): the lender may
// add past the lent length, the borrower adds to its own copy. index finds a stored form (as
// read, and canonical: toStored's) among names; it belongs to one holder and is built again
// by a borrower on its first addition.
type flagTable struct {
	names []flagNames // names[0] is the empty set: flagSet's rest 0
	index map[string]flagSet
}

// set is the flagSet of an item's stored flags, adding the rest to the table when new.
func (t *flagTable) set(read, flagged bool, other string) flagSet {
	var f flagSet
	if read {
		f |= flagSeenBit
	}
	if flagged {
		f |= flagFlaggedBit
	}
	if other == "" {
		return f
	}
	if t.index == nil {
		t.index = make(map[string]flagSet, len(t.names))
		for i := 1; i < len(t.names); i++ {
			t.index[t.names[i].other] = flagSet(i)
		}
	}
	n, ok := t.index[other]
	if !ok {
		canon := toStored(restFlags(other)).Other // stored forms that differ only in order or case are one set
		if n, ok = t.index[canon]; !ok {
			if len(t.names) == 0 {
				t.names = append(t.names, flagNames{lists: plainFlags})
			}
			n = flagSet(len(t.names))
			t.names = append(t.names, namesOf(canon))
			t.index[canon] = n
		}
		t.index[other] = n
	}
	return f | n<<flagRestShift
}

// flags lists a flagSet's flags: \Seen, \Flagged, then the rest in their stored order.
func (t *flagTable) flags(f flagSet) []goimap.Flag {
	if rest := f >> flagRestShift; rest != 0 {
		return t.names[rest].lists[f&3]
	}
	return plainFlags[f&3]
}

// lend is a copy of the table for a copy of its view: the names shared, clipped so that the
// borrower's additions never write into the lender's array.
func (t *flagTable) lend() flagTable { return flagTable{names: slices.Clip(t.names)} }

// compact drops the sets no entry of view uses, when the table has grown well past the view
// (flags changed to ever new keywords): the entries are renumbered into a new array, as a
// borrower may still read the old one.
func (t *flagTable) compact(view []entry) {
	if len(t.names) <= 64 || len(t.names) <= 2*len(view) {
		return
	}
	old := t.names
	t.names, t.index = nil, nil
	for i := range view {
		if f := view[i].fl; f>>flagRestShift != 0 {
			st := old[f>>flagRestShift].other
			view[i].fl = t.set(f&flagSeenBit != 0, f&flagFlaggedBit != 0, st)
		}
	}
}

func namesOf(other string) flagNames {
	rest := restFlags(other)
	n := flagNames{other: other}
	for b := range n.lists {
		n.lists[b] = append(slices.Clip(plainFlags[b]), rest...)
	}
	return n
}

func restFlags(other string) []goimap.Flag {
	var out []goimap.Flag
	for _, f := range strings.Fields(other) {
		out = append(out, goimap.Flag(f))
	}
	return out
}

// stored is a flagSet as the item's fields (toStored's form), to compare with a STORE's result.
func (t *flagTable) stored(f flagSet) mailbox.Flags {
	st := mailbox.Flags{Read: f&flagSeenBit != 0, Flagged: f&flagFlaggedBit != 0}
	if rest := f >> flagRestShift; rest != 0 {
		st.Other = t.names[rest].other
	}
	return st
}
