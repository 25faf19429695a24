package imap

import (
	"bytes"
	"sync"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Holding IDLE in the front (issue 17). An IDLE held by go-imap keeps go-imap's connection
// goroutine blocked reading DONE with the stack LOGIN and SELECT grew, a second goroutine in
// session.Idle, and go-imap's 4 KB read and write buffers: about 41 KB of RSS per session. So
// the front takes a plain "tag IDLE" over: it answers "+ idling", ends go-imap's Conn (its Read
// returns EOF; session.Close and front.Close then leave the session and the socket alone) and
// keeps only the session, the socket and one goroutine blocked in a one-byte read (hold). Changes
// come from the notifier's observer (idleRegistry.changed), the recheck and the credential's
// expiry from timers; each event starts one short-lived worker goroutine that does what
// session.Idle did (valid, refresh) and writes the untagged responses go-imap would have written.
// On DONE the front answers the tagged status as go-imap did (after a last Poll) and hands the
// connection to go-imap again: a new Conn, whose session is the same one, greeted PREAUTH and
// taken back to the selected state by a SELECT/EXAMINE the front replays (session.Select answers
// it from the view it has); the front keeps that Conn's greeting and answers from the client.
// An IDLE the front does not take (an unusual line, over Options.MaxIdle, a notifier without
// observers) is run by go-imap and session.Idle as before.

// idleReadTimeout is how long a held IDLE waits for DONE (go-imap's own bound).
const idleReadTimeout = 35 * time.Minute

// resumeTag tags the SELECT the front replays to go-imap after DONE; its answer is not sent.
const resumeTag = "tessera.resume"

// idlePark is an IDLE held by the front.
type idlePark struct {
	s      *session
	tag    string
	folder uint64 // the selected folder (0: none): changes of other folders are not looked at

	mu      sync.Mutex
	working bool
	ended   bool
	waiter  chan struct{} // closed by the worker when it stops after ended
	folders []uint64      // changes not looked at yet (0: account-wide)
	poll    bool          // look again without a change (first look, recheck)
	err     error         // a look failed: answered at DONE, no more looks
	recheck *time.Timer
	expiry  *time.Timer
	first   [1]byte // hold's one-byte read
}

// takeIdle decides whether the front holds this IDLE and, if so, starts it; it runs on
// go-imap's connection goroutine, which ends once it returns true (the front's Read says EOF).
func (s *session) takeIdle(tag string, line []byte) bool {
	srv, f := s.srv, s.fr
	obs, ok := srv.deps.Mailbox.Notifier().(mailbox.Observable)
	if !ok || !validTag(tag) || !bytes.EqualFold(line, []byte(tag+" IDLE\r\n")) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grant == nil || s.revoked || s.changes == nil {
		return false // not logged in (go-imap refuses it) or revoked (go-imap's path says BYE)
	}
	if int(srv.idle.Add(1)) > srv.opts.MaxIdle {
		srv.idle.Add(-1)
		return false // go-imap's path answers NO [LIMIT]
	}
	if srv.deps.Idle != nil {
		srv.deps.Idle.Inc()
	}
	srv.parked.once.Do(func() { obs.Observe(srv.parked.changed) })
	p := &idlePark{s: s, tag: tag, poll: true} // the first look, as session.Idle's first Poll
	if s.sel != nil {
		p.folder = s.sel.folder.ID
	}
	f.begin(command{tag: tag, name: "IDLE"})
	f.setCond(func(c *condState) { c.fetchMod = nil }) // a large FETCH's map is not kept
	s.park, s.conn = p, nil                            // the Conn ending is let go (its buffers)
	// From the subscription to the observer: registered first, so no change falls between.
	srv.parked.add(s.acct, p)
	full := len(s.changes) >= cap(s.changes)-1 // changes may have been dropped
	s.unsub()
	for drained := false; !drained; {
		select {
		case c := <-s.changes:
			p.folders = append(p.folders, c.FolderID)
		default:
			drained = true
		}
	}
	if full {
		p.folders = append(p.folders, 0)
	}
	s.changes, s.unsub = nil, nil
	if err := f.writeParked([]byte("+ idling\r\n")); err != nil {
		p.err = err
	}
	p.mu.Lock()
	p.recheck = time.AfterFunc(srv.opts.IdleRecheck, func() { p.event(func() { p.poll = true }) })
	if g := s.grant; g.Credential != nil && g.Credential.ExpiresAt != nil {
		// The credential's expiry ends the IDLE when it passes (an account-wide look).
		p.expiry = time.AfterFunc(time.Until(*g.Credential.ExpiresAt)+time.Second,
			func() { p.event(func() { p.folders = append(p.folders, 0) }) })
	}
	p.mu.Unlock()
	// Only now may go-imap's Conn hand the connection over (a Close before ends it).
	f.mu.Lock()
	f.park, f.handed = p, false
	f.mu.Unlock()
	p.event(func() {})
	return true
}

// validTag: a tag go-imap reads as an atom (anything else is left to go-imap to refuse).
func validTag(tag string) bool {
	if tag == "" || len(tag) > 64 {
		return false
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if c <= ' ' || c >= 0x7f || bytes.IndexByte([]byte(`(){%*"\]+`), c) >= 0 {
			return false
		}
	}
	return true
}

// event queues what record notes and starts a worker if none runs.
func (p *idlePark) event(record func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ended || p.err != nil {
		return
	}
	record()
	if p.recheck != nil && p.poll {
		p.recheck.Reset(p.s.srv.opts.IdleRecheck)
	}
	if !p.working {
		p.working = true
		go p.work()
	}
}

// work looks at what was queued until nothing is left, as session.Idle's loop did.
func (p *idlePark) work() {
	for {
		p.mu.Lock()
		folders, poll := p.folders, p.poll
		p.folders, p.poll = nil, false
		if p.ended || p.err != nil || (len(folders) == 0 && !poll) {
			p.working = false
			if p.waiter != nil {
				close(p.waiter)
				p.waiter = nil
			}
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		if err := p.s.look(folders, poll); err != nil {
			p.mu.Lock()
			p.err = err
			p.mu.Unlock()
		}
	}
}

// look checks the credential and brings the client's view up to date.
func (s *session) look(folders []uint64, poll bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range folders {
		switch {
		case f == 0:
			s.recheck, s.dirty = true, true
		case s.sel != nil && f == s.sel.folder.ID:
			s.dirty = true
		}
	}
	if err := s.valid(); err != nil {
		return err
	}
	if poll || s.dirty {
		return s.refresh(parkWriter{s.fr}, true)
	}
	return nil
}

// stop ends the looks: no event is taken from now on, and a look under way is waited for.
func (p *idlePark) stop() {
	p.mu.Lock()
	p.ended = true
	p.recheck.Stop()
	if p.expiry != nil {
		p.expiry.Stop()
	}
	var w chan struct{}
	if p.working {
		w = make(chan struct{})
		p.waiter = w
	}
	p.mu.Unlock()
	if w != nil {
		<-w
	}
}

// hold waits for DONE once go-imap's Conn has let the connection go (front.Close), then
// answers and hands the connection back to go-imap.
func (p *idlePark) hold() {
	s, f, srv := p.s, p.s.fr, p.s.srv
	select {
	case <-srv.done: // Server.Close may have passed closeAll
		f.conn().Close()
	default:
	}
	f.conn().SetReadDeadline(time.Now().Add(idleReadTimeout))
	line, rerr := f.readParked(&p.first)
	if rerr == nil { // back to a subscription before the observer is left: no change falls between
		s.mu.Lock()
		s.changes, s.unsub = srv.deps.Mailbox.Notifier().Subscribe(s.acct)
		s.mu.Unlock()
	}
	p.stop()
	srv.parked.remove(s.acct, p)
	srv.idle.Add(-1)
	if srv.deps.Idle != nil {
		srv.deps.Idle.Dec()
	}
	var status string
	switch {
	case rerr != nil:
	case !bytes.EqualFold(bytes.TrimRight(line, "\r\n"), []byte("DONE")):
		status = "BAD [CLIENTBUG] Syntax error: expected DONE to end IDLE command"
	case p.err != nil:
		status = statusText(p.err)
	default:
		s.mu.Lock()
		err := s.valid()
		if err == nil {
			err = s.refresh(parkWriter{f}, true)
		}
		s.mu.Unlock()
		if err == nil {
			status = "OK IDLE completed"
		}
	}
	if status == "" || f.writeParked([]byte(p.tag+" "+status+"\r\n")) != nil || !s.resume() {
		f.conn().Close()
		f.mu.Lock()
		f.park = nil
		f.mu.Unlock()
		s.end()
	}
}

// resume hands the connection to go-imap again (see the top of this file); false when the
// server is closing.
func (s *session) resume() bool {
	f := s.fr
	s.mu.Lock()
	s.park = nil
	sel := s.sel
	s.resuming = sel != nil
	s.mu.Unlock()
	f.mu.Lock()
	f.park = nil
	f.mute = "* PREAUTH "
	if sel != nil {
		verb := "SELECT"
		if sel.readOnly {
			verb = "EXAMINE"
		}
		f.mute = resumeTag + " "
		f.cur, f.ended, f.cont = command{tag: resumeTag, name: verb}, false, false
		f.in = []byte(resumeTag + " " + verb + " INBOX\r\n")
	}
	f.mu.Unlock()
	return s.srv.innerLn.push(f)
}
