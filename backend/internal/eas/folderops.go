package eas

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Folder command statuses of MS-ASCMD (FolderCreate, FolderUpdate, FolderDelete).
const (
	folderOK          = "1"
	folderExists      = "2"
	folderSpecial     = "3"
	folderNotFound    = "4"
	folderNoParent    = "5"
	folderServerError = "6"
	folderInvalidKey  = "9"
	folderBadRequest  = "10"
)

// folderOp runs one of the folder commands: check the hierarchy key, make the change, and
// move the device's hierarchy state by exactly that change (so its next FolderSync does not
// report back what it did itself) under a new key.
func (s *Server) folderOp(ctx context.Context, c *call, cmd string, apply func(h *hierarchyState) (string, *wbxml.Node, error)) (*wbxml.Node, error) {
	resp := wbxml.New("FolderHierarchy:" + cmd)
	if c.body == nil || c.body.Name != "FolderHierarchy:"+cmd || !c.body.Has("SyncKey") {
		return resp.Add(wbxml.NewText("Status", folderBadRequest)), nil
	}
	ld, err := s.states.load(ctx, c.device.ID, HierarchyCollection, c.body.TextOf("SyncKey"))
	if errors.Is(err, ErrUnknownKey) || (err == nil && ld.row == nil) {
		return resp.Add(wbxml.NewText("Status", folderInvalidKey)), nil
	} else if err != nil {
		return nil, err
	}
	var h hierarchyState
	if err := json.Unmarshal(ld.data, &h); err != nil || h.Folders == nil {
		h.Folders = map[uint64]folderSnap{}
	}
	status, extra, err := apply(&h)
	if err != nil {
		return nil, err
	}
	if status != folderOK {
		return resp.Add(wbxml.NewText("Status", status)), nil
	}
	data, _ := json.Marshal(h)
	key, err := s.states.save(ctx, c.device.ID, HierarchyCollection, ld, data)
	if err != nil {
		return nil, err
	}
	return resp.Add(wbxml.NewText("Status", folderOK), wbxml.NewText("SyncKey", key), extra), nil
}

func folderStatus(err error) string {
	switch {
	case errors.Is(err, mailbox.ErrFolderExists):
		return folderExists
	case errors.Is(err, mailbox.ErrSpecialFolder):
		return folderSpecial
	case errors.Is(err, mailbox.ErrNoFolder):
		return folderNotFound
	case errors.Is(err, mailbox.ErrNoParent):
		return folderNoParent
	case errors.Is(err, mailbox.ErrBadFolder):
		return folderBadRequest
	}
	return ""
}

func (s *Server) folderCreate(ctx context.Context, c *call) (*wbxml.Node, error) {
	return s.folderOp(ctx, c, "FolderCreate", func(h *hierarchyState) (string, *wbxml.Node, error) {
		parent, _ := strconv.ParseUint(c.body.TextOf("ParentId"), 10, 64)
		typ, _ := strconv.Atoi(c.body.TextOf("Type"))
		f, err := s.mailbox.CreateFolder(ctx, c.account.ID, parent, c.body.TextOf("DisplayName"), typ)
		if st := folderStatus(err); st != "" {
			return st, nil, nil
		} else if err != nil {
			return "", nil, err
		}
		h.Folders[f.ID] = folderSnap{Parent: f.ParentID, Name: f.DisplayName, Type: f.Type}
		return folderOK, wbxml.NewText("ServerId", id(f.ID)), nil
	})
}

func (s *Server) folderUpdate(ctx context.Context, c *call) (*wbxml.Node, error) {
	return s.folderOp(ctx, c, "FolderUpdate", func(h *hierarchyState) (string, *wbxml.Node, error) {
		fid, _ := strconv.ParseUint(c.body.TextOf("ServerId"), 10, 64)
		parent, _ := strconv.ParseUint(c.body.TextOf("ParentId"), 10, 64)
		name := c.body.TextOf("DisplayName")
		err := s.mailbox.UpdateFolder(ctx, c.account.ID, fid, parent, name)
		if st := folderStatus(err); st != "" {
			return st, nil, nil
		} else if err != nil {
			return "", nil, err
		}
		snap := h.Folders[fid]
		snap.Parent, snap.Name = parent, name
		h.Folders[fid] = snap
		return folderOK, nil, nil
	})
}

func (s *Server) folderDelete(ctx context.Context, c *call) (*wbxml.Node, error) {
	return s.folderOp(ctx, c, "FolderDelete", func(h *hierarchyState) (string, *wbxml.Node, error) {
		fid, _ := strconv.ParseUint(c.body.TextOf("ServerId"), 10, 64)
		err := s.mailbox.DeleteFolder(ctx, c.account.ID, fid)
		if st := folderStatus(err); st != "" {
			return st, nil, nil
		} else if err != nil {
			return "", nil, err
		}
		// The device deletes the subtree itself; its state forgets every folder under fid too.
		gone := map[uint64]bool{fid: true}
		for changed := true; changed; {
			changed = false
			for f, snap := range h.Folders {
				if !gone[f] && gone[snap.Parent] {
					gone[f], changed = true, true
				}
			}
		}
		for f := range gone {
			delete(h.Folders, f)
		}
		return folderOK, nil, nil
	})
}
