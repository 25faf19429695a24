package eas

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// HierarchyCollection is the collection id of the folder hierarchy's SyncState.
const HierarchyCollection = "hierarchy"

// ErrUnknownKey: the device sent a sync key that is neither the current nor the previous one
// (Sync Status 3, FolderSync Status 9).
var ErrUnknownKey = errors.New("unknown sync key")

// StateStore is the persistence of SyncStates.
type StateStore interface {
	SyncStateOf(ctx context.Context, deviceID uint64, collection string) (*store.SyncState, error)
	SyncStatesOf(ctx context.Context, deviceID uint64, collections []string) (map[string]*store.SyncState, error)
	SaveSyncState(ctx context.Context, st *store.SyncState) error
	DeleteSyncState(ctx context.Context, deviceID uint64, collection string) error
}

// states keeps, per device and collection, the current key with what it covered and the
// previous one: a client that lost a response retries with the previous key and gets that
// response again, with the same key (Sync and FolderSync replay it), instead of being sent back
// to key 0. Older states are dropped.
type states struct{ store StateStore }

// loaded is a state read for one request.
type loaded struct {
	row   *store.SyncState // nil for key 0
	data  []byte
	retry bool // the previous key was sent
}

// load finds the state a key stands for. Key "0" starts over: no state.
func (s states) load(ctx context.Context, deviceID uint64, collection, key string) (*loaded, error) {
	if key == "0" {
		return &loaded{}, nil
	}
	row, err := s.store.SyncStateOf(ctx, deviceID, collection)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownKey
	} else if err != nil {
		return nil, err
	}
	return loadFrom(row, key)
}

// loadFrom finds the state a key stands for in a state read already (row nil: the device has
// none of the collection).
func loadFrom(row *store.SyncState, key string) (*loaded, error) {
	if key == "0" {
		return &loaded{}, nil
	}
	if row == nil {
		return nil, ErrUnknownKey
	}
	switch key {
	case row.SyncKey:
		return &loaded{row: row, data: row.State}, nil
	case row.PrevKey:
		if row.PrevKey != "" {
			return &loaded{row: row, data: row.PrevState, retry: true}, nil
		}
	}
	return nil, ErrUnknownKey
}

// save stores the state a response leaves the device in and returns its new key.
func (s states) save(ctx context.Context, deviceID uint64, collection string, from *loaded, data []byte) (string, error) {
	row := from.row
	n := 0
	if row == nil {
		row = &store.SyncState{DeviceID: deviceID, CollectionID: collection}
		if old, err := s.store.SyncStateOf(ctx, deviceID, collection); err == nil {
			row.ID = old.ID // key 0 again: replace what was there
		}
	} else {
		n = keyCounter(row.SyncKey)
		if from.retry {
			n = keyCounter(row.PrevKey)
		} else { // the device got the last response: it becomes the previous one
			row.PrevKey, row.PrevState = row.SyncKey, row.State
		}
	}
	key, err := newKey(n + 1)
	if err != nil {
		return "", err
	}
	row.SyncKey, row.State = key, data
	if from.row == nil {
		row.PrevKey, row.PrevState = "", nil
	}
	return key, s.store.SaveSyncState(ctx, row)
}

// keep rewrites the state of a retried key's successor under its own key: the retry was
// answered with that key again (a replay, not a new step), so the key the device may already
// hold from the lost answer stays valid, and the previous key too.
func (s states) keep(ctx context.Context, from *loaded, data []byte) (string, error) {
	row := *from.row
	row.State = data
	return row.SyncKey, s.store.SaveSyncState(ctx, &row)
}

// newKey is "{counter}-{random}": the counter helps people reading logs, the random part keeps a
// key of one state from ever matching another after a reset.
func newKey(n int) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strconv.Itoa(n) + "-" + hex.EncodeToString(b), nil
}

func keyCounter(k string) int {
	n, _ := strconv.Atoi(strings.SplitN(k, "-", 2)[0])
	return n
}
