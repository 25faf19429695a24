package eas

import (
	"encoding/json"
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/eas/pim"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// pimClass maps one non-mail item class between its stored JSON and ActiveSync.
type pimClass struct {
	encode func(props, version string, truncation int64) ([]*wbxml.Node, error)
	// decode reads a device's ApplicationData into JSON and a summary for the item's subject.
	decode func(ad *wbxml.Node) (props, summary string, err error)
}

func codec[E any, P interface {
	*E
	Summary() string
}](enc func(P, string, int64) []*wbxml.Node, dec func(*wbxml.Node) (P, error)) pimClass {
	return pimClass{
		encode: func(props, version string, trunc int64) ([]*wbxml.Node, error) {
			v := P(new(E))
			if err := json.Unmarshal([]byte(props), v); err != nil {
				return nil, fmt.Errorf("stored item: %w", err)
			}
			return enc(v, version, trunc), nil
		},
		decode: func(ad *wbxml.Node) (string, string, error) {
			v, err := dec(ad)
			if err != nil {
				return "", "", err
			}
			b, err := json.Marshal(v)
			return string(b), v.Summary(), err
		},
	}
}

var pimClasses = map[string]pimClass{
	mailbox.ClassContacts: codec(pim.EncodeContact, pim.DecodeContact),
	mailbox.ClassCalendar: codec(pim.EncodeEvent, pim.DecodeEvent),
	mailbox.ClassTasks:    codec(pim.EncodeTask, pim.DecodeTask),
	mailbox.ClassNotes:    codec(pim.EncodeNote, pim.DecodeNote),
}

// applicationData is an item's AirSync:ApplicationData children for a device.
func applicationData(it *store.Item, o bodyOptions, version string) ([]*wbxml.Node, error) {
	c, ok := pimClasses[it.Class]
	if !ok {
		return mailData(it, o, version), nil
	}
	var trunc int64
	if len(o.Prefs) > 0 {
		trunc = o.Prefs[0].Truncation
	}
	return c.encode(it.Props, version, trunc)
}

// mailData is a mail's ApplicationData as Sync, ItemOperations and Search send it: from 14.0
// with its Email2:ConversationId (MS-ASCMD requires it there), which a Search by ConversationId
// reads back.
func mailData(it *store.Item, o bodyOptions, version string) []*wbxml.Node {
	out := emailData(it, o)
	if version >= "14.0" {
		out = append(out, conversationID(it))
	}
	return out
}

// mergeChange completes a device's Change before decoding: 16.x calendar changes leave out
// what did not change ("ghosted" properties), which must be kept from the stored item.
func mergeChange(it *store.Item, ad *wbxml.Node, version string) *wbxml.Node {
	if it.Class != mailbox.ClassCalendar || version < "16.0" {
		return ad
	}
	stored, err := pimClasses[it.Class].encode(it.Props, version, 0)
	if err != nil {
		return ad
	}
	return pim.Ghost(ad, stored, pim.GhostAll)
}

// keepForeign carries over what other doors keep in an item's Props beside the model (DAV's
// "dav": the client's resource name and original text) when a device changes the item, so
// that the CalDAV/CardDAV href stays and properties EAS cannot carry survive the change.
func keepForeign(old, changed string) string {
	var o map[string]json.RawMessage
	if json.Unmarshal([]byte(old), &o) != nil || o["dav"] == nil {
		return changed
	}
	var c map[string]json.RawMessage
	if json.Unmarshal([]byte(changed), &c) != nil {
		return changed
	}
	c["dav"] = o["dav"]
	b, err := json.Marshal(c)
	if err != nil {
		return changed
	}
	return string(b)
}
