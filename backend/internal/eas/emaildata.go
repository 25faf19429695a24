package eas

import (
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/text"
)

// Body types of MS-ASAIRS.
const (
	bodyText = 1
	bodyHTML = 2
	bodyMIME = 4
)

// bodyPref is one AirSyncBase:BodyPreference of a request.
type bodyPref struct {
	Type       int   `json:"t"`
	Truncation int64 `json:"n,omitempty"` // 0: whole body
}

// bodyOptions is what a collection's Options ask of bodies.
type bodyOptions struct {
	Prefs       []bodyPref `json:"p,omitempty"`
	MIMESupport int        `json:"m,omitempty"` // 0 never, 1 S/MIME only, 2 always
}

const easTime = "2006-01-02T15:04:05.000Z"

// emailData is an item's AirSync:ApplicationData for a Sync Add/Change or a Fetch.
func emailData(it *store.Item, o bodyOptions) []*wbxml.Node {
	out := []*wbxml.Node{
		wbxml.NewText("Email:To", it.ToAddr),
		wbxml.NewText("Email:Cc", it.CcAddr),
		wbxml.NewText("Email:From", it.FromAddr),
		wbxml.NewText("Email:Subject", it.Subject),
		wbxml.NewText("Email:DateReceived", it.ReceivedAt.UTC().Format(easTime)),
		wbxml.NewText("Email:DisplayTo", displayNames(it.ToAddr)),
		wbxml.NewText("Email:ThreadTopic", it.Subject),
		wbxml.NewText("Email:Importance", strconv.Itoa(it.Importance)),
		wbxml.NewText("Email:Read", boolText(it.Read)),
	}
	class := "IPM.Note"
	var invite *wbxml.Node
	if hasInvite(it) {
		if inv, ok := mailbox.ParseInvite(it.MIME); ok {
			invite, class = meetingRequest(inv, inviteRecurrence(it.MIME)), "IPM.Schedule.Meeting.Request"
		} else if inv, ok := mailbox.ParseCancellation(it.MIME); ok {
			// The phone shows "cancelled" (and offers to remove it) even for an invitation that
			// was never answered, which has no calendar item to mark (MS-ASEMAIL 2.2.2.49).
			invite, class = meetingRequest(inv, nil), "IPM.Schedule.Meeting.Canceled"
		}
	}
	list := wbxml.New("AirSyncBase:Attachments")
	for i, a := range mailbox.DecodeAttachments(it.Attachments) {
		if invite != nil && a.Name == "" && a.ContentType == "text/calendar" {
			continue // the invitation itself, shown as the MeetingRequest
		}
		list.Add(attachment(a, id(it.ID)+":"+strconv.Itoa(i), i))
	}
	if len(list.Children) > 0 {
		out = append(out, list)
	}
	if invite != nil {
		out = append(out, invite)
	}
	out = append(out, body(it, o),
		wbxml.NewText("Email:MessageClass", class),
		wbxml.NewText("Email:InternetCPID", "65001"),
		flag(it.Flagged),
		wbxml.NewText("Email:ContentClass", "urn:content-classes:message"),
		wbxml.NewText("AirSyncBase:NativeBodyType", strconv.Itoa(nativeType(it))))
	return out
}

// attachment is one AirSyncBase:Attachment (MS-ASAIRS 2.2.2.9, the same at 12.1 to 16.1). A
// part without a file name (an inline image, mostly) gets one made up, and an image the HTML
// shows by its Content-ID is marked IsInline, so the phone draws it in the body.
func attachment(a mailbox.Attachment, ref string, index int) *wbxml.Node {
	n := wbxml.New("AirSyncBase:Attachment",
		wbxml.NewText("AirSyncBase:DisplayName", a.DisplayName(index)),
		wbxml.NewText("AirSyncBase:FileReference", ref),
		wbxml.NewText("AirSyncBase:Method", "1"),
		wbxml.NewText("AirSyncBase:EstimatedDataSize", strconv.FormatInt(a.Size, 10)))
	if a.ContentID != "" {
		n.Add(wbxml.NewText("AirSyncBase:ContentId", a.ContentID))
	}
	if a.ContentLocation != "" {
		n.Add(wbxml.NewText("AirSyncBase:ContentLocation", a.ContentLocation))
	}
	return n.Add(wbxml.NewText("AirSyncBase:IsInline", boolText(a.Inline)))
}

// body picks the first preferred type the item can give: MIME when asked for and allowed,
// else HTML when there is some, else plain text.
func body(it *store.Item, o bodyOptions) *wbxml.Node {
	pref := bodyPref{Type: bodyText}
	for _, p := range o.Prefs {
		if p.Type == bodyMIME && (o.MIMESupport == 2 || len(o.Prefs) == 1) || p.Type == bodyHTML || p.Type == bodyText {
			pref = p
			break
		}
	}
	if o.MIMESupport == 2 && len(o.Prefs) == 0 {
		pref = bodyPref{Type: bodyMIME}
	}
	var data string
	switch pref.Type {
	case bodyMIME:
		data = string(it.MIME)
	case bodyHTML:
		if it.BodyHTML != "" {
			data = it.BodyHTML
		} else {
			pref.Type, data = bodyText, it.BodyText
		}
	default:
		pref.Type = bodyText
		data = it.BodyText
		if data == "" && it.BodyHTML != "" {
			data = text.FromHTML(it.BodyHTML)
		}
	}
	full := len(data)
	truncated := false
	if pref.Truncation > 0 && int64(full) > pref.Truncation {
		data = text.CutBytes(data, int(pref.Truncation))
		truncated = true
	}
	return wbxml.New("AirSyncBase:Body",
		wbxml.NewText("AirSyncBase:Type", strconv.Itoa(pref.Type)),
		wbxml.NewText("AirSyncBase:EstimatedDataSize", strconv.Itoa(full)),
		wbxml.NewText("AirSyncBase:Truncated", boolText(truncated)),
		wbxml.NewText("AirSyncBase:Data", data))
}

func nativeType(it *store.Item) int {
	if it.BodyHTML != "" {
		return bodyHTML
	}
	return bodyText
}

func flag(on bool) *wbxml.Node {
	if !on {
		return wbxml.New("Email:Flag")
	}
	return wbxml.New("Email:Flag", wbxml.NewText("Email:Status", "2"), wbxml.NewText("Email:FlagType", "Flag for follow up"))
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// displayNames turns `"Alice" <a@x>, b@x` into `Alice; b@x` as EAS clients show it.
func displayNames(list string) string {
	var out []string
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if i := strings.Index(part, "<"); i > 0 {
			part = strings.Trim(strings.TrimSpace(part[:i]), `"`)
		}
		out = append(out, part)
	}
	return strings.Join(out, "; ")
}
