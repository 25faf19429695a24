package imap

// HeldByFront counts the IDLEs the fronts hold with go-imap's Conn gone (tests).
func (s *Server) HeldByFront() int {
	n := 0
	s.parked.All(func(p *idlePark) {
		p.s.fr.mu.Lock()
		if p.s.fr.handed {
			n++
		}
		p.s.fr.mu.Unlock()
	})
	return n
}
