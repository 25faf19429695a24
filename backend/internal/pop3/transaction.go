package pop3

import (
	"errors"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// totals counts the messages not marked deleted and their octets.
func (s *session) totals() (n int, size int64) {
	for _, m := range s.msgs {
		if !m.deleted {
			n++
			size += m.size
		}
	}
	return n, size
}

// number parses a message number; ok false has been answered already (cont says whether the
// session goes on).
func (s *session) number(arg string) (i int, ok, cont bool) {
	n, err := strconv.ParseUint(arg, 10, 31)
	if err != nil || arg[0] == '+' {
		return 0, false, s.fail("-ERR Invalid message number")
	}
	if n == 0 || n > uint64(len(s.msgs)) {
		return 0, false, s.reply("-ERR No such message")
	}
	if s.msgs[n-1].deleted {
		return 0, false, s.reply("-ERR Message " + arg + " is deleted")
	}
	return int(n - 1), true, true
}

func (s *session) stat(args []string) bool {
	if len(args) != 0 {
		return s.fail("-ERR STAT takes no argument")
	}
	n, size := s.totals()
	return s.reply("+OK " + itoa(int64(n)) + " " + itoa(size))
}

// list is LIST (sizes) and UIDL (unique ids), for one message or all.
func (s *session) list(args []string, uidl bool) bool {
	value := func(m message) string {
		if uidl {
			return strconv.FormatUint(m.id, 10)
		}
		return itoa(m.size)
	}
	switch len(args) {
	case 0:
	case 1:
		i, ok, cont := s.number(args[0])
		if !ok {
			return cont
		}
		return s.reply("+OK " + strconv.Itoa(i+1) + " " + value(s.msgs[i]))
	default:
		return s.fail("-ERR Too many arguments")
	}
	n, size := s.totals()
	if uidl {
		s.w.WriteString("+OK Unique ids follow\r\n")
	} else {
		s.w.WriteString("+OK " + itoa(int64(n)) + " messages (" + itoa(size) + " octets)\r\n")
	}
	for i, m := range s.msgs {
		if !m.deleted {
			s.w.WriteString(strconv.Itoa(i+1) + " " + value(m) + "\r\n")
		}
	}
	s.w.WriteString(".\r\n")
	return s.flush()
}

func (s *session) retr(args []string) bool {
	if len(args) != 1 {
		return s.fail("-ERR RETR takes a message number")
	}
	return s.send(args[0], -1)
}

func (s *session) top(args []string) bool {
	if len(args) != 2 {
		return s.fail("-ERR TOP takes a message number and a number of lines")
	}
	lines, err := strconv.ParseUint(args[1], 10, 31)
	if err != nil || args[1][0] == '+' {
		return s.fail("-ERR Invalid number of lines")
	}
	return s.send(args[0], int(lines))
}

// send writes a message (RETR) or its header and first lines (TOP; lines >= 0).
func (s *session) send(arg string, lines int) bool {
	i, ok, cont := s.number(arg)
	if !ok {
		return cont
	}
	it, err := s.srv.d.Mailbox.Item(s.srv.ctx, s.grant.Account.ID, s.msgs[i].id)
	if errors.Is(err, mailbox.ErrNoItem) {
		return s.reply("-ERR Message " + arg + " is no longer in the mailbox")
	} else if err != nil {
		s.log.Error("pop3 read message", "item", s.msgs[i].id, "err", err)
		return s.reply("-ERR [SYS/TEMP] Cannot read the message now, try again later")
	}
	// A large message to a slow client: the write deadline counts from here, not from the
	// last reply.
	_ = s.raw.SetWriteDeadline(time.Now().Add(s.srv.d.Options.IdleTimeout))
	if lines < 0 {
		s.w.WriteString("+OK " + itoa(s.msgs[i].size) + " octets\r\n")
	} else {
		s.w.WriteString("+OK Top of message follows\r\n")
	}
	if err := writeMessage(s.w, it.MIME, lines); err != nil {
		return false
	}
	s.w.WriteString(".\r\n")
	return s.flush()
}

func (s *session) dele(args []string) bool {
	if len(args) != 1 {
		return s.fail("-ERR DELE takes a message number")
	}
	i, ok, cont := s.number(args[0])
	if !ok {
		return cont
	}
	s.msgs[i].deleted = true
	return s.reply("+OK Message " + args[0] + " deleted")
}

func (s *session) rset(args []string) bool {
	if len(args) != 0 {
		return s.fail("-ERR RSET takes no argument")
	}
	for i := range s.msgs {
		s.msgs[i].deleted = false
	}
	n, size := s.totals()
	return s.reply("+OK Maildrop has " + itoa(int64(n)) + " messages (" + itoa(size) + " octets)")
}

// update is the UPDATE state (QUIT in TRANSACTION): the marked messages are deleted, each a
// tombstone that phones see. One another door deleted already counts as done.
func (s *session) update() {
	failed, deleted := 0, 0
	for _, m := range s.msgs {
		if !m.deleted {
			continue
		}
		err := s.srv.d.Mailbox.Delete(s.srv.ctx, s.grant.Account.ID, m.id)
		switch {
		case err == nil:
			deleted++
		case errors.Is(err, mailbox.ErrNoItem):
		default:
			failed++
			s.log.Error("pop3 delete", "item", m.id, "err", err)
		}
	}
	s.log.Debug("pop3 update", "deleted", deleted, "failed", failed)
	if failed > 0 {
		s.reply("-ERR [SYS/TEMP] " + strconv.Itoa(failed) + " deleted messages not removed")
		return
	}
	n, _ := s.totals()
	s.reply("+OK Tessera POP3 server signing off (" + strconv.Itoa(n) + " messages left)")
}
