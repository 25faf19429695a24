package mailbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Errors of sending, mapped to EAS SendMail statuses by the caller.
var (
	ErrNoRecipients = errors.New("the message has no recipients")
	ErrNotLocal     = errors.New("no relay is configured and some recipients are not accounts here")
	ErrRelay        = errors.New("the relay refused the message")
)

// AccountResolver finds the account of an address (lower-cased), for local delivery.
type AccountResolver interface {
	AccountIDByEmail(ctx context.Context, email string) (uint64, bool, error)
}

// Sender submits messages written on a device: a copy in Sent Items, then the configured SMTP
// relay, or without one, local delivery to recipients that are accounts here.
type Sender struct {
	mb       *Service
	accounts AccountResolver
	relay    string // host:port; "" delivers locally only
}

// NewSender returns a sender.
func NewSender(mb *Service, accounts AccountResolver, relay string) *Sender {
	return &Sender{mb: mb, accounts: accounts, relay: relay}
}

// Send submits raw from the account's address to the recipients of its To, Cc and Bcc
// headers; saveInSent keeps a copy in Sent Items.
func (s *Sender) Send(ctx context.Context, accountID uint64, from string, raw []byte, saveInSent bool) error {
	if len(raw) > MaxMessage {
		return fmt.Errorf("message of %d bytes is larger than %d", len(raw), MaxMessage)
	}
	rcpts, err := recipients(raw)
	if err != nil {
		return err
	}
	return s.SendTo(ctx, accountID, from, rcpts, raw, saveInSent)
}

// SendTo is Send to the envelope recipients rcpts instead of the headers' (SMTP submission:
// RCPT TO is what the client wants delivered, and a Bcc recipient may appear only there).
// Addresses are compared lower-cased; the Bcc header is dropped all the same.
func (s *Sender) SendTo(ctx context.Context, accountID uint64, from string, rcpts []string, raw []byte, saveInSent bool) error {
	if len(raw) > MaxMessage {
		return fmt.Errorf("message of %d bytes is larger than %d", len(raw), MaxMessage)
	}
	rcpts = uniqueLower(rcpts)
	if len(rcpts) == 0 {
		return ErrNoRecipients
	}
	raw = withoutBcc(raw)
	local := map[string]uint64{}
	for _, r := range rcpts {
		id, ok, err := s.accounts.AccountIDByEmail(ctx, r)
		if err != nil {
			return err
		}
		if ok {
			local[r] = id
		} else if s.relay == "" {
			return fmt.Errorf("%w: %s", ErrNotLocal, r)
		}
	}
	if s.relay != "" {
		if err := relayMail(s.relay, from, rcpts, raw); err != nil {
			return fmt.Errorf("%w: %v", ErrRelay, err)
		}
	} else {
		for _, id := range local {
			if _, err := s.mb.Deliver(ctx, id, raw); err != nil {
				return err
			}
		}
	}
	if saveInSent {
		sent, err := s.mb.FolderByType(ctx, accountID, TypeSentItems)
		if err != nil {
			return err
		}
		if _, err := s.mb.Store(ctx, accountID, sent.ID, raw, true); err != nil {
			return err
		}
	}
	return nil
}

// Relayed says whether a relay is configured (TESSERA_SMTP_RELAY).
func (s *Sender) Relayed() bool { return s != nil && s.relay != "" }

// Relay hands raw to the relay for rcpts, nothing kept nor delivered here: the security
// notices' copies to recovery addresses, which are outside by definition.
func (s *Sender) Relay(from string, rcpts []string, raw []byte) error {
	if !s.Relayed() {
		return ErrNotLocal
	}
	if rcpts = uniqueLower(rcpts); len(rcpts) == 0 {
		return ErrNoRecipients
	}
	if err := relayMail(s.relay, from, rcpts, raw); err != nil {
		return fmt.Errorf("%w: %v", ErrRelay, err)
	}
	return nil
}

// Deliverable says whether mail to addr can be sent: any address through a relay, without one
// only an active account here. Submission asks at RCPT TO, so a client learns which address
// failed before it sends the body.
func (s *Sender) Deliverable(ctx context.Context, addr string) (bool, error) {
	if s.relay != "" {
		return true, nil
	}
	_, ok, err := s.accounts.AccountIDByEmail(ctx, strings.ToLower(addr))
	return ok, err
}

func uniqueLower(addrs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range addrs {
		a = strings.ToLower(a)
		if a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// relayMail hands a message to the relay, with STARTTLS when the relay offers it; a relay on the
// same host or network (Postfix on 127.0.0.1:25) often offers none, which go-smtp's SendMail refuses.
func relayMail(addr, from string, rcpts []string, raw []byte) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	if err := c.Hello("localhost"); err != nil {
		c.Close()
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok { // go-smtp starts TLS at dial time: dial again
		c.Close()
		host, _, _ := net.SplitHostPort(addr)
		if c, err = smtp.DialStartTLS(addr, &tls.Config{ServerName: host}); err != nil {
			return err
		}
	}
	defer c.Close()
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// recipients lists the To, Cc and Bcc addresses of a message, lower-cased and unique.
func recipients(raw []byte) ([]string, error) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, fmt.Errorf("%w: %v", ErrNotMessage, err)
	}
	seen := map[string]bool{}
	var out []string
	for _, key := range []string{"To", "Cc", "Bcc"} {
		list, _ := r.Header.AddressList(key)
		for _, a := range list {
			addr := strings.ToLower(a.Address)
			if addr != "" && !seen[addr] {
				seen[addr] = true
				out = append(out, addr)
			}
		}
	}
	return out, nil
}

// withoutBcc drops the Bcc header so that recipients and Sent Items do not show it.
func withoutBcc(raw []byte) []byte {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	sep := "\r\n"
	if end < 0 {
		if end = bytes.Index(raw, []byte("\n\n")); end < 0 {
			return raw
		}
		sep = "\n"
	}
	lines := strings.Split(string(raw[:end]), sep)
	var keep []string
	skipping := false
	for _, l := range lines {
		if skipping && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
			continue
		}
		skipping = strings.HasPrefix(strings.ToLower(l), "bcc:")
		if !skipping {
			keep = append(keep, l)
		}
	}
	return append([]byte(strings.Join(keep, sep)), raw[end:]...)
}

// Compose builds the message of a SmartReply or SmartForward: the device's message with the
// original included — for a reply, the original text quoted under the new text; for a forward,
// the original attached whole (message/rfc822), so its attachments travel with it.
func Compose(newRaw []byte, original *store.Item, forward bool) ([]byte, error) {
	ent, err := message.Read(bytes.NewReader(newRaw))
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, fmt.Errorf("%w: %v", ErrNotMessage, err)
	}
	ct, _, _ := ent.Header.ContentType()
	body, err := io.ReadAll(ent.Body)
	if err != nil {
		return nil, err
	}
	if !forward && ct == "text/plain" || !forward && ct == "" {
		quoted := "\r\n\r\n-----Original message-----\r\nFrom: " + original.FromAddr + "\r\nSent: " +
			original.ReceivedAt.UTC().Format("Mon, 02 Jan 2006 15:04 MST") + "\r\nSubject: " + original.Subject + "\r\n\r\n" +
			quote(original.BodyText)
		h := ent.Header.Copy()
		h.Del("Content-Transfer-Encoding")
		h.Set("Content-Type", "text/plain; charset=utf-8")
		var out bytes.Buffer
		w, err := message.CreateWriter(&out, h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(append(body, []byte(quoted)...)); err != nil {
			return nil, err
		}
		return closed(&out, w)
	}
	// Multipart/mixed: the device's own content as the first part, the original attached.
	outer := message.Header{}
	for f := ent.Header.Fields(); f.Next(); {
		if k := strings.ToLower(f.Key()); k != "content-type" && k != "content-transfer-encoding" && k != "mime-version" {
			outer.Add(f.Key(), f.Value())
		}
	}
	outer.Set("MIME-Version", "1.0")
	outer.Set("Content-Type", "multipart/mixed")
	var out bytes.Buffer
	w, err := message.CreateWriter(&out, outer)
	if err != nil {
		return nil, err
	}
	first := message.Header{}
	first.Set("Content-Type", ent.Header.Get("Content-Type"))
	if first.Get("Content-Type") == "" {
		first.Set("Content-Type", "text/plain; charset=utf-8")
	}
	pw, err := w.CreatePart(first)
	if err != nil {
		return nil, err
	}
	if _, err := pw.Write(body); err != nil {
		return nil, err
	}
	pw.Close()
	orig := message.Header{}
	orig.Set("Content-Type", "message/rfc822")
	orig.Set("Content-Disposition", `attachment; filename="original.eml"`)
	pw, err = w.CreatePart(orig)
	if err != nil {
		return nil, err
	}
	if _, err := pw.Write(original.MIME); err != nil {
		return nil, err
	}
	pw.Close()
	return closed(&out, w)
}

// closed closes w and then returns what it wrote: Close writes the closing boundary, so the
// bytes must be taken after it (`return out.Bytes(), w.Close()` takes them before, and the
// forwarded original then ends without its boundary: unreadable as an attachment).
func closed(out *bytes.Buffer, w io.Closer) ([]byte, error) {
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func quote(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\r\n")
}
