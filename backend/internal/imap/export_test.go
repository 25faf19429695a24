package imap

// HeldByFront counts the IDLEs the fronts hold with go-imap's Conn gone (tests).
func (s *Server) HeldByFront() int {
	s.parked.mu.Lock()
	defer s.parked.mu.Unlock()
	n := 0
	for _, ps := range s.parked.byAccount {
		for p := range ps {
			p.s.fr.mu.Lock()
			if p.s.fr.handed {
				n++
			}
			p.s.fr.mu.Unlock()
		}
	}
	return n
}
