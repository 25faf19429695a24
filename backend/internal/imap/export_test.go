package imap

// HeldByFront counts the IDLEs the fronts hold with go-imap's Conn gone (tests). An IDLE is
// registered before its front takes it (park), and handed is still true then from an earlier
// IDLE of the same connection: counted on handed alone, a second IDLE showed as held for a
// moment before it was, and waitHeld saw 1 then 0.
func (s *Server) HeldByFront() int {
	n := 0
	s.parked.All(func(p *idlePark) {
		p.s.fr.mu.Lock()
		if p.s.fr.park == p && p.s.fr.handed {
			n++
		}
		p.s.fr.mu.Unlock()
	})
	return n
}

// KeptSeen says whether the server keeps the index of a folder and the change sequence it
// reflects (tests).
func (s *Server) KeptSeen(folderID uint64) (int64, bool) {
	s.folders.mu.Lock()
	k := s.folders.folders[folderID]
	s.folders.mu.Unlock()
	if k == nil {
		return 0, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.seen, true
}
