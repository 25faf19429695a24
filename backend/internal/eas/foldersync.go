package eas

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// folderSnap is what the device was told of a folder.
type folderSnap struct {
	Parent uint64 `json:"p"`
	Name   string `json:"n"`
	Type   int    `json:"t"`
}

type hierarchyState struct {
	Folders map[uint64]folderSnap `json:"f"`
}

func id(n uint64) string { return strconv.FormatUint(n, 10) }

// folderSync sends the folder hierarchy: everything for key 0, then adds, updates and deletes
// since the key. An unknown key is Status 9 (the device starts over from 0).
func (s *Server) folderSync(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("FolderHierarchy:FolderSync")
	if c.body == nil || c.body.Name != "FolderHierarchy:FolderSync" || !c.body.Has("SyncKey") {
		return resp.Add(wbxml.NewText("Status", "10")), nil // incorrectly formatted request
	}
	ld, err := loadFrom(c.hierarchy, c.body.TextOf("SyncKey")) // read with the device
	if errors.Is(err, ErrUnknownKey) {
		return resp.Add(wbxml.NewText("Status", "9")), nil
	} else if err != nil {
		return nil, err
	}
	var had hierarchyState
	if len(ld.data) > 0 {
		if err := json.Unmarshal(ld.data, &had); err != nil {
			return nil, err
		}
	}
	var folders []store.Folder
	if ld.retry {
		// The device did not get the answer that came with the current key: it gets that
		// answer again, with that key — the hierarchy as the current state records it — and
		// what changed since comes with its next FolderSync.
		if folders, err = snapshotFolders(ld.row.State); err != nil {
			return nil, err
		}
	} else if folders, err = s.visibleFolders(ctx, c); err != nil {
		return nil, err
	}
	now := hierarchyState{Folders: map[uint64]folderSnap{}}
	changes := wbxml.New("Changes")
	var adds, updates []*wbxml.Node
	for _, f := range folders {
		snap := folderSnap{Parent: f.ParentID, Name: f.DisplayName, Type: f.Type}
		now.Folders[f.ID] = snap
		old, known := had.Folders[f.ID]
		switch {
		case !known:
			adds = append(adds, folderNode("Add", f))
		case old != snap:
			updates = append(updates, folderNode("Update", f))
		}
	}
	var gone []uint64
	for fid := range had.Folders {
		if _, still := now.Folders[fid]; !still {
			gone = append(gone, fid)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i] < gone[j] })
	count := len(adds) + len(updates) + len(gone)
	changes.Add(wbxml.NewText("Count", strconv.Itoa(count)))
	for _, fid := range gone {
		changes.Add(wbxml.New("Delete", wbxml.NewText("ServerId", id(fid))))
	}
	changes.Add(updates...)
	changes.Add(adds...)
	key := ""
	if ld.retry || count == 0 && ld.row != nil {
		// A replay, or nothing changed: the same key goes back (MS-ASCMD FolderSync keeps it).
		key = ld.row.SyncKey
	} else {
		data, _ := json.Marshal(now)
		if key, err = s.states.save(ctx, c.device.ID, HierarchyCollection, ld, data); err != nil {
			return nil, err
		}
	}
	return resp.Add(wbxml.NewText("Status", "1"), wbxml.NewText("SyncKey", key), changes), nil
}

// snapshotFolders lists the folders of a hierarchy state, parents before their children (the
// order a device needs to place them).
func snapshotFolders(state []byte) ([]store.Folder, error) {
	var h hierarchyState
	if err := json.Unmarshal(state, &h); err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, len(h.Folders))
	for fid := range h.Folders {
		ids = append(ids, fid)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	placed := map[uint64]bool{}
	var out []store.Folder
	for len(out) < len(ids) {
		progress := false
		for _, fid := range ids {
			f := h.Folders[fid]
			_, parentKnown := h.Folders[f.Parent]
			if placed[fid] || parentKnown && !placed[f.Parent] {
				continue
			}
			out = append(out, store.Folder{ID: fid, ParentID: f.Parent, DisplayName: f.Name, Type: f.Type})
			placed[fid], progress = true, true
		}
		if !progress { // a cycle, which a state never holds: the rest in id order
			for _, fid := range ids {
				if !placed[fid] {
					f := h.Folders[fid]
					out = append(out, store.Folder{ID: fid, ParentID: f.Parent, DisplayName: f.Name, Type: f.Type})
					placed[fid] = true
				}
			}
		}
	}
	return out, nil
}

func folderNode(op string, f store.Folder) *wbxml.Node {
	return wbxml.New(op, wbxml.NewText("ServerId", id(f.ID)), wbxml.NewText("ParentId", id(f.ParentID)),
		wbxml.NewText("DisplayName", f.DisplayName), wbxml.NewText("Type", strconv.Itoa(f.Type)))
}

// visibleFolders are the folders a device is told of: the Notes class exists only from
// protocol 14.0 (MS-ASNOTE), so older devices do not get the Notes folder.
func (s *Server) visibleFolders(ctx context.Context, c *call) ([]store.Folder, error) {
	all, err := s.mailbox.FolderTree(ctx, c.account.ID)
	if err != nil {
		return nil, err
	}
	return visibleOf(c, all), nil
}

// visibleOf keeps the folders of a tree the device's protocol version knows (Notes from 14.0).
func visibleOf(c *call, all []store.Folder) []store.Folder {
	if c.req.AtLeast("14.0") {
		return all
	}
	out := all[:0:0]
	for _, f := range all {
		if f.Class != mailbox.ClassNotes {
			out = append(out, f)
		}
	}
	return out
}
