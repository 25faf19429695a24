package apptest

import (
	"io"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Relayed is one message a CaptureRelay took.
type Relayed struct {
	From string
	To   []string
	Data string
}

// CaptureRelay is an SMTP server standing in for TESSERA_SMTP_RELAY: it keeps what it is
// given. With Refuse set it refuses every recipient (550).
type CaptureRelay struct {
	Addr   string
	Refuse bool
	mu     sync.Mutex
	got    []Relayed
}

// StartRelay starts a capture relay on a local port, closed when the test ends.
func StartRelay(t testing.TB) *CaptureRelay {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &CaptureRelay{Addr: ln.Addr().String()}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.test"
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

// Messages is what the relay took so far, in order.
func (r *CaptureRelay) Messages() []Relayed {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Relayed(nil), r.got...)
}

// NewSession implements smtp.Backend.
func (r *CaptureRelay) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &captureSession{r: r}, nil
}

type captureSession struct {
	r   *CaptureRelay
	cur Relayed
}

func (s *captureSession) Mail(from string, _ *smtp.MailOptions) error { s.cur.From = from; return nil }

func (s *captureSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.r.Refuse {
		return &smtp.SMTPError{Code: 550, Message: "no such user"}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *captureSession) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	s.cur.Data = string(b)
	s.r.mu.Lock()
	s.r.got = append(s.r.got, s.cur)
	s.r.mu.Unlock()
	return err
}

func (s *captureSession) Reset()        { s.cur = Relayed{} }
func (s *captureSession) Logout() error { return nil }
