package imap

import (
	"context"
	"slices"
	"sync"
	"testing"

	goimap "github.com/emersion/go-imap/v2"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// changes is an indexReader that answers every read with the rows given, once.
type changes struct {
	rows  []store.IndexRow
	since []int64
}

func (c *changes) Index(_ context.Context, _, _ uint64, since int64) ([]store.IndexRow, error) {
	c.since = append(c.since, since)
	r := c.rows
	c.rows = nil
	return r, nil
}

func uids(v []entry) []uint32 {
	var out []uint32
	for _, e := range v {
		out = append(out, e.uid)
	}
	return out
}

func TestFolderCacheAppliesChanges(t *testing.T) {
	c := newFolderCache()
	c.from = 3
	ctx := context.Background()
	c.keep(7, 1, []entry{{id: 10, uid: 1, modseq: 1}, {id: 11, uid: 2, modseq: 2}}, &flagTable{}, 2) // too small: not kept
	if _, _, _, ok, _ := c.view(ctx, &changes{}, 7, 1); ok {
		t.Fatal("a folder under the threshold was kept")
	}
	c.keep(7, 1, []entry{{id: 10, uid: 1, modseq: 1}, {id: 11, uid: 2, modseq: 2}, {id: 12, uid: 3, modseq: 3}}, &flagTable{}, 3)
	r := &changes{rows: []store.IndexRow{
		{ID: 11, UID: 2, ModSeq: 4, Deleted: true},             // expunged elsewhere
		{ID: 12, UID: 3, ModSeq: 5, Read: true, Flagged: true}, // flags changed elsewhere
		{ID: 14, UID: 5, ModSeq: 7},                            // new, arriving before a lower UID
		{ID: 13, UID: 4, ModSeq: 6, IMAPFlags: "$Label1"},
		{ID: 9, UID: 9, ModSeq: 8, Deleted: true}, // a tombstone of a message never kept
	}}
	v, fl, seen, ok, err := c.view(ctx, r, 7, 1)
	if err != nil || !ok {
		t.Fatalf("view: %v %v", ok, err)
	}
	if !slices.Equal(r.since, []int64{3}) {
		t.Errorf("read changes since %v, want [3]", r.since)
	}
	if seen != 8 || !slices.Equal(uids(v), []uint32{1, 3, 4, 5}) {
		t.Fatalf("seen %d, uids %v; want 8, [1 3 4 5]", seen, uids(v))
	}
	if !hasFlag(fl.flags(v[1].fl), goimap.FlagSeen) || !hasFlag(fl.flags(v[1].fl), goimap.FlagFlagged) || v[1].modseq != 5 {
		t.Errorf("uid 3: %+v", v[1])
	}
	if !hasFlag(fl.flags(v[2].fl), "$Label1") {
		t.Errorf("uid 4: %+v", v[2])
	}
	v[0].uid = 99 // the caller's copy is its own
	if v2, _, _, _, _ := c.view(ctx, &changes{}, 7, 1); v2[0].uid != 1 {
		t.Error("a caller's change reached the kept index")
	}
	if _, _, _, ok, _ := c.view(ctx, &changes{}, 8, 1); ok {
		t.Error("another account was lent the folder's index")
	}
}

func TestFolderCacheDropsLeastRecentlyUsed(t *testing.T) {
	c := newFolderCache()
	c.from, c.most = 2, 5
	ctx := context.Background()
	three := []entry{{uid: 1}, {uid: 2}, {uid: 3}}
	c.keep(7, 1, three, &flagTable{}, 1)
	c.keep(7, 2, three, &flagTable{}, 1)                   // 6 > 5: folder 1, used least recently, goes
	c.keep(7, 3, slices.Repeat(three, 2), &flagTable{}, 1) // larger than the bound: not kept
	if _, _, _, ok, _ := c.view(ctx, &changes{}, 7, 1); ok {
		t.Error("folder 1 still kept")
	}
	if _, _, _, ok, _ := c.view(ctx, &changes{}, 7, 2); !ok {
		t.Error("folder 2 not kept")
	}
	if _, _, _, ok, _ := c.view(ctx, &changes{}, 7, 3); ok {
		t.Error("a folder over the bound was kept")
	}
	if c.total != 3 {
		t.Errorf("total %d, want 3", c.total)
	}
	// A kept folder that grows is counted, and the next keep makes room.
	c.view(ctx, &changes{rows: []store.IndexRow{{UID: 4, ModSeq: 2}}}, 7, 2)
	if c.total != 4 {
		t.Errorf("total %d after growing, want 4", c.total)
	}
	c.keep(7, 4, []entry{{uid: 1}, {uid: 2}}, &flagTable{}, 1) // 6 > 5: folder 2 goes
	if _, _, _, ok, _ := c.view(ctx, &changes{}, 7, 2); ok || c.total != 2 {
		t.Errorf("folder 2 kept %v, total %d; want dropped, 2", ok, c.total)
	}
}

// growing is an indexReader shared by goroutines: every read brings one new message.
type growing struct {
	mu  sync.Mutex
	seq int64
}

func (g *growing) Index(_ context.Context, _, _ uint64, since int64) ([]store.IndexRow, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	return []store.IndexRow{{ID: uint64(g.seq), UID: uint32(1000 + g.seq), ModSeq: g.seq}}, nil
}

// Sessions SELECT the same folders while others are kept and dropped: run with -race. The
// count of kept messages stays the sum of the kept folders', and each index stays in UID order.
func TestFolderCacheConcurrent(t *testing.T) {
	c := newFolderCache()
	c.from, c.most = 2, 40
	r := &growing{}
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				folder := uint64(1 + (g+i)%4)
				if v, _, _, ok, err := c.view(ctx, r, 7, folder); err != nil {
					t.Error(err)
				} else if !ok {
					c.keep(7, folder, []entry{{uid: 1}, {uid: 2}, {uid: 3}}, &flagTable{}, 0)
				} else if !slices.IsSortedFunc(v, func(a, b entry) int { return int(a.uid) - int(b.uid) }) {
					t.Error("a view out of UID order")
				}
			}
		}()
	}
	wg.Wait()
	sum := 0
	for _, k := range c.folders {
		sum += k.counted
		if k.counted != len(k.view) {
			t.Errorf("folder %d counted %d, holds %d", k.id, k.counted, len(k.view))
		}
	}
	if sum != c.total || c.total > c.most {
		t.Errorf("total %d, kept folders hold %d (bound %d)", c.total, sum, c.most)
	}
}
