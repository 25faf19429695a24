package store

import (
	"context"
	"hash/maphash"
	"sync"

	"gorm.io/gorm"
)

// knownWords remembers, in this process, words whose suffix rows are committed, so that
// indexing a message asks the database only about the words it has not met yet: a delivery
// whose words are all known skips that read (one of its round trips on MariaDB),
// and a message with a few new words asks about those few instead of all of its words.
//
// It is safe because suffix rows are never deleted while the server runs (unindexItem keeps
// them; a migration that rebuilds them runs before the server serves), and a word is learnt
// only once the transaction that saw or wrote its rows has committed (learnt, below). A word
// is keyed by a 64-bit hash with a seed of this process; two words sharing one (one chance in
// about 10^14 for a full set) would leave the second without suffix rows, unfound by a
// substring search until it is indexed by another process.
//
// Two generations bound the memory (about 3 MB): when the current one is full it becomes the
// old one, and a word found in the old one moves to the current, so words in use stay.
type knownWords struct {
	seed maphash.Seed
	max  int

	mu       sync.Mutex
	cur, old map[uint64]struct{}
}

const knownWordsMax = 1 << 16

func newKnownWords(max int) *knownWords {
	return &knownWords{seed: maphash.MakeSeed(), max: max, cur: map[uint64]struct{}{}}
}

// Name and Initialize make the set a GORM plugin: the item hook that indexes a new message
// (Item.AfterCreate) has only its transaction, and finds the set in its configuration.
func (k *knownWords) Name() string                 { return "tessera:known-words" }
func (k *knownWords) Initialize(db *gorm.DB) error { return nil }

// knownWordsOf is the set of db's store (nil for a database opened without it).
func knownWordsOf(db *gorm.DB) *knownWords {
	k, _ := db.Config.Plugins["tessera:known-words"].(*knownWords)
	return k
}

func (k *knownWords) has(w string) bool {
	if k == nil {
		return false
	}
	h := maphash.String(k.seed, w)
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.cur[h]; ok {
		return true
	}
	if _, ok := k.old[h]; ok {
		k.put(h)
		return true
	}
	return false
}

func (k *knownWords) learn(words []string) {
	if k == nil || len(words) == 0 {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, w := range words {
		k.put(maphash.String(k.seed, w))
	}
}

func (k *knownWords) put(h uint64) {
	if len(k.cur) >= k.max {
		k.old, k.cur = k.cur, make(map[uint64]struct{}, k.max/4)
	}
	k.cur[h] = struct{}{}
}

// learnt collects the words a transaction indexed (met in the database or written by it); the
// caller hands them to the set once the transaction has committed, never before: a rolled
// back transaction's suffix rows do not exist.
type learnt struct{ words []string }

type learntKey struct{}

func withLearnt(ctx context.Context, l *learnt) context.Context {
	return context.WithValue(ctx, learntKey{}, l)
}

func learntOf(db *gorm.DB) *learnt {
	if db.Statement == nil || db.Statement.Context == nil {
		return nil
	}
	l, _ := db.Statement.Context.Value(learntKey{}).(*learnt)
	return l
}
