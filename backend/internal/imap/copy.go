package imap

import (
	"errors"
	"io"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

var errTryCreate = &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeTryCreate, Text: "No such mailbox"}

// dest finds the mailbox a COPY, MOVE or APPEND names ([TRYCREATE] when there is none).
func (s *session) dest(name string) (*box, error) {
	b, err := s.find(s.ctx, name)
	if errors.Is(err, errNoMailbox) {
		return nil, errTryCreate
	} else if err != nil {
		return nil, mapErr(err)
	}
	f, err := s.srv.deps.Mailbox.Folder(s.ctx, s.acct, b.folder.ID) // the tree lacks the UID fields
	if err != nil {
		return nil, mapErr(err)
	}
	b.folder = *f
	return b, nil
}

// Copy copies messages; COPYUID tells the client their new UIDs (UIDPLUS).
func (s *session) Copy(numSet goimap.NumSet, destName string) (*goimap.CopyData, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.valid(); err != nil {
		return nil, err
	}
	sel := s.sel
	if sel == nil {
		return nil, errNotSelected
	}
	d, err := s.dest(destName)
	if err != nil {
		return nil, err
	}
	idx, err := sel.resolve(numSet)
	if err != nil {
		return nil, err
	}
	data := &goimap.CopyData{UIDValidity: d.folder.UIDValidity}
	for _, i := range idx {
		e := sel.view[i]
		if e.gone {
			continue
		}
		c, err := s.srv.deps.Mailbox.Copy(s.ctx, s.acct, e.id, d.folder.ID)
		if errors.Is(err, mailbox.ErrNoItem) {
			continue
		} else if err != nil {
			return nil, mapErr(err)
		}
		data.SourceUIDs.AddNum(goimap.UID(e.uid))
		data.DestUIDs.AddNum(goimap.UID(c.UID))
	}
	if len(data.SourceUIDs) == 0 {
		return nil, nil
	}
	return data, nil
}

// Move moves messages (RFC 6851) through the mailbox service, as an EAS MoveItems does: the
// phone sees the message leave one folder and arrive in the other.
func (s *session) Move(w *imapserver.MoveWriter, numSet goimap.NumSet, destName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sel, err := s.writable()
	if err != nil {
		return err
	}
	d, err := s.dest(destName)
	if err != nil {
		return err
	}
	idx, err := sel.resolve(numSet)
	if err != nil {
		return err
	}
	data := &goimap.CopyData{UIDValidity: d.folder.UIDValidity}
	var moved []int
	for _, i := range idx {
		e := sel.view[i]
		if e.gone {
			continue
		}
		m, err := s.srv.deps.Mailbox.Move(s.ctx, s.acct, e.id, d.folder.ID)
		if errors.Is(err, mailbox.ErrNoItem) {
			continue
		} else if err != nil {
			return mapErr(err)
		}
		data.SourceUIDs.AddNum(goimap.UID(e.uid))
		data.DestUIDs.AddNum(goimap.UID(m.UID))
		moved = append(moved, i)
	}
	if len(moved) > 0 {
		if err := w.WriteCopyData(data); err != nil {
			return err
		}
	}
	return s.expungeView(moved, w.WriteExpunge)
}

// expungeView removes positions from the view (ascending), telling the client from the
// highest down so that no sequence number shifts under an EXPUNGE still to send.
func (s *session) expungeView(idx []int, write func(uint32) error) error {
	sel := s.sel
	for k := len(idx) - 1; k >= 0; k-- {
		i := idx[k]
		if err := write(uint32(i + 1)); err != nil {
			return err
		}
		if sel.view[i].gone {
			sel.gone--
		}
		sel.view = append(sel.view[:i], sel.view[i+1:]...)
	}
	return nil
}

// Expunge deletes the messages flagged \Deleted (among uids for UID EXPUNGE) through
// mailbox.Delete: a tombstone each, so a phone's next Sync removes them too.
func (s *session) Expunge(w *imapserver.ExpungeWriter, uids *goimap.UIDSet) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.valid(); err != nil {
		return err
	}
	sel := s.sel
	if sel == nil {
		return errNotSelected
	}
	if sel.readOnly {
		return nil // CLOSE of an EXAMINEd mailbox, or nothing to do
	}
	var max goimap.UID
	if n := len(sel.view); n > 0 {
		max = goimap.UID(sel.view[n-1].uid)
	}
	var gone []int
	for i, e := range sel.view {
		if e.gone || !hasFlag(sel.flags.flags(e.fl), goimap.FlagDeleted) || (uids != nil && !uidSetContains(*uids, goimap.UID(e.uid), max)) {
			if e.gone {
				gone = append(gone, i)
			}
			continue
		}
		if err := s.srv.deps.Mailbox.Delete(s.ctx, s.acct, e.id); err != nil && !errors.Is(err, mailbox.ErrNoItem) {
			return mapErr(err)
		}
		gone = append(gone, i)
	}
	return s.expungeView(gone, w.WriteExpunge) // for CLOSE, go-imap's writer writes nothing
}

// Append stores a message a client saves (Sent, Drafts) through the mailbox service, parsed
// like a delivery; APPENDUID tells its UID.
func (s *session) Append(name string, r goimap.LiteralReader, opts *goimap.AppendOptions) (*goimap.AppendData, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	if r.Size() > mailbox.MaxMessage {
		return nil, no(goimap.ResponseCodeTooBig, "The message is too large")
	}
	d, err := s.dest(name)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(r, mailbox.MaxMessage+1))
	if err != nil {
		return nil, err
	}
	it, err := s.srv.deps.Mailbox.Append(s.ctx, s.acct, d.folder.ID, raw, toStored(opts.Flags), opts.Time)
	if err != nil {
		var ie *goimap.Error
		if errors.As(mapErr(err), &ie) {
			return nil, ie
		}
		return nil, no(goimap.ResponseCodeParse, "The message could not be stored")
	}
	return &goimap.AppendData{UID: goimap.UID(it.UID), UIDValidity: d.folder.UIDValidity}, nil
}
