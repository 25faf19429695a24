package imap

import (
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

func flagStrings(fs []goimap.Flag) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, string(f))
	}
	return out
}

func TestFlagTableListsStoredFlags(t *testing.T) {
	var tb flagTable
	cases := []struct {
		read, flagged bool
		other         string
		want          []string
	}{
		{false, false, "", []string{}},
		{true, false, "", []string{`\Seen`}},
		{true, true, "", []string{`\Seen`, `\Flagged`}},
		{false, true, `$Label1 \Answered`, []string{`\Flagged`, `$Label1`, `\Answered`}},
		{true, false, `\Answered $Label1`, []string{`\Seen`, `$Label1`, `\Answered`}}, // the same set, another order
		{false, false, `\Deleted`, []string{`\Deleted`}},
	}
	sets := map[string]flagSet{}
	for _, c := range cases {
		f := tb.set(c.read, c.flagged, c.other)
		if got := flagStrings(tb.flags(f)); !slices.Equal(got, c.want) {
			t.Errorf("set(%v, %v, %q) lists %v, want %v", c.read, c.flagged, c.other, got, c.want)
		}
		if st := tb.stored(f); st.Read != c.read || st.Flagged != c.flagged {
			t.Errorf("stored(%q) = %+v", c.other, st)
		}
		sets[c.other] = f >> flagRestShift
	}
	if sets[`$Label1 \Answered`] != sets[`\Answered $Label1`] || sets[`$Label1 \Answered`] == sets[`\Deleted`] {
		t.Errorf("rest numbers %v: one set in two orders must be one number, two sets two", sets)
	}
	if len(tb.names) != 3 { // the empty set and two others
		t.Errorf("%d names, want 3", len(tb.names))
	}
	st := toStored([]goimap.Flag{`\answered`, `$label1`, goimap.FlagSeen}) // a STORE's result, as stored
	if f := tb.set(st.Read, st.Flagged, st.Other); tb.stored(f).Other != `$label1 \Answered` &&
		tb.stored(f).Other != `$Label1 \Answered` {
		t.Errorf("of: %+v", tb.stored(f))
	}
}

func TestFlagTableLendKeepsEachSideItsOwn(t *testing.T) {
	lender := flagTable{names: make([]flagNames, 0, 8)} // room to add in place: lend must not share it
	a := lender.set(false, false, "$A")
	borrower := lender.lend()
	b := borrower.set(false, false, "$B") // the borrower's addition
	l := lender.set(false, false, "$L")   // the lender's, after lending
	if got := flagStrings(borrower.flags(a)); !slices.Equal(got, []string{"$A"}) {
		t.Errorf("borrower reads %v for the lent set", got)
	}
	if got := flagStrings(borrower.flags(b)); !slices.Equal(got, []string{"$B"}) {
		t.Errorf("borrower's own set reads %v", got)
	}
	if got := flagStrings(lender.flags(l)); !slices.Equal(got, []string{"$L"}) {
		t.Errorf("lender's later set reads %v (the borrower wrote into its array?)", got)
	}
}

func TestFlagTableCompactKeepsEveryEntrysFlags(t *testing.T) {
	var tb flagTable
	view := []entry{{uid: 1}, {uid: 2}, {uid: 3}}
	for i := 0; i < 200; i++ { // a client cycling through new keywords on message 2
		view[1].fl = tb.set(true, false, "$K"+strconv.Itoa(i))
	}
	view[0].fl = tb.set(false, true, `\Answered`)
	before := [][]string{flagStrings(tb.flags(view[0].fl)), flagStrings(tb.flags(view[1].fl)), flagStrings(tb.flags(view[2].fl))}
	tb.compact(view)
	if len(tb.names) > 3 {
		t.Errorf("%d names after compact, want at most 3", len(tb.names))
	}
	for i := range view {
		if got := flagStrings(tb.flags(view[i].fl)); !slices.Equal(got, before[i]) {
			t.Errorf("entry %d lists %v after compact, %v before", i, got, before[i])
		}
	}
	if f := tb.set(true, false, "$K199"); f != view[1].fl {
		t.Error("the compacted table does not find a set it holds")
	}
}

func TestEntryKeepsInternalDateAndHoldsNoPointer(t *testing.T) {
	var tb flagTable
	for _, at := range []time.Time{
		time.Date(2026, 12, 7, 5, 30, 1, 0, time.UTC),
		time.Date(1996, 7, 17, 2, 44, 25, 0, time.FixedZone("", -7*3600)), // an APPEND's own date
	} {
		e := entryOf(&store.IndexRow{ReceivedAt: at}, &tb)
		got := e.date()
		if !got.Equal(at) || got.Format(time.RFC1123Z) != at.Format(time.RFC1123Z) {
			t.Errorf("date %v, want %v", got, at)
		}
	}
	// A view is copied for every SELECT of a kept folder: it must stay a flat block.
	for i, ty := 0, reflect.TypeOf(entry{}); i < ty.NumField(); i++ {
		switch ty.Field(i).Type.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.String, reflect.Map, reflect.Struct, reflect.Interface:
			t.Errorf("entry.%s is a %s: it holds a pointer", ty.Field(i).Name, ty.Field(i).Type.Kind())
		}
	}
}
