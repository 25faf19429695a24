package submission

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"mime"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message/textproto"
)

// checkHeaders refuses a message whose From or Sender names anyone but the account (RFC 6409
// 8.1 lets an MSA check this; here it is the rule against spoofing), and adds the Date and
// Message-ID an MSA should add when the client left them out (RFC 6409 8.2, 8.3). It returns
// the message to send.
func checkHeaders(raw []byte, own, domain string, now time.Time) ([]byte, error) {
	if len(raw) == 0 {
		return nil, errNotMessage
	}
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return nil, errNotMessage
	}
	froms := h.Values("From")
	if len(froms) == 0 || !allOwn(froms, own) {
		return nil, errHeaderNotYours("From", own)
	}
	if senders := h.Values("Sender"); len(senders) > 0 && !allOwn(senders, own) {
		return nil, errHeaderNotYours("Sender", own)
	}
	nl := "\n"
	if bytes.Contains(raw, []byte("\r\n")) {
		nl = "\r\n"
	}
	var add string
	if !h.Has("Date") {
		add += "Date: " + now.Format(time.RFC1123Z) + nl
	}
	if !h.Has("Message-Id") {
		add += "Message-ID: <" + randomID() + "@" + domain + ">" + nl
	}
	if add == "" {
		return raw, nil
	}
	return append([]byte(add), raw...), nil
}

// allOwn: every address of every value is own (compared case-insensitively); a value that does
// not parse, or holds no address, is not.
func allOwn(values []string, own string) bool {
	for _, v := range values {
		list, err := addressParser.ParseList(strings.NewReplacer("\r", "", "\n", "").Replace(v))
		if err != nil || len(list) == 0 {
			return false
		}
		for _, a := range list {
			if !strings.EqualFold(a.Address, own) {
				return false
			}
		}
	}
	return true
}

// addressParser reads display names in any charset: only the addresses matter here, so a
// charset Go does not know must not make a message unsendable.
var addressParser = mail.AddressParser{WordDecoder: &mime.WordDecoder{
	CharsetReader: func(_ string, input io.Reader) (io.Reader, error) { return input, nil },
}}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}
