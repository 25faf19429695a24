package device

import (
	"context"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// NoticeSubject is the subject of the quarantine notice, in the user's Inbox and on the
// quarantined device alike.
const NoticeSubject = "Your device is waiting for approval"

// NoticeText is the notice's text: which device, and what happens next.
func NoticeText(d *store.Device) string {
	name := d.DeviceType
	for _, v := range []string{d.FriendlyName, d.Model} {
		if v != "" {
			name += ", " + v
		}
	}
	return fmt.Sprintf("Your device %s (%s) connected to your mailbox and is waiting for an administrator's approval.\r\n\r\n"+
		"Until it is approved it shows only this message. You do not need to do anything: once it is approved,\r\n"+
		"your mail, calendar and contacts appear on it by themselves. If this was not you, tell your administrator.\r\n",
		name, d.DeviceID)
}

// NoticeMessage is the notice as an RFC 5322 message to address.
func NoticeMessage(address string, d *store.Device, at time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Tessera <postmaster@%s>\r\n", domainOf(address))
	fmt.Fprintf(&b, "To: <%s>\r\n", address)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", NoticeSubject))
	fmt.Fprintf(&b, "Date: %s\r\n", at.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <quarantine-%d-%d@%s>\r\n", d.ID, at.Unix(), domainOf(address))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(NoticeText(d))
	return []byte(b.String())
}

func domainOf(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return "localhost"
}

// SendQuarantineNotice delivers the notice to the Inbox of the account of a quarantined
// device, once per device (the first of its requests that gets here claims it).
func (s *Service) SendQuarantineNotice(ctx context.Context, a *store.Account, d *store.Device) error {
	if s.access == nil || s.deliver == nil || d.AccessNoticed || AccessOf(d) != "quarantined" {
		return nil
	}
	mine, err := s.access.ClaimQuarantineNotice(ctx, d.ID)
	if err != nil || !mine {
		return err
	}
	d.AccessNoticed = true
	_, err = s.deliver.Deliver(ctx, a.ID, NoticeMessage(a.Email, d, s.now()))
	return err
}
