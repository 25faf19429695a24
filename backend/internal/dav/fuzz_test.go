package dav

import (
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

var icalSeeds = []string{
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:All day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260301T100000\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270101T000000Z\r\nEXDATE;TZID=Europe/Berlin:20260310T100000,20260414T100000\r\nATTENDEE;PARTSTAT=DECLINED;CUTYPE=ROOM:mailto:r@x\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Z\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Z:20260301T100000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c\r\nRECURRENCE-ID;TZID=Z:20270301T100000\r\nDTSTART;TZID=Z:20270302T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:d\r\nDTSTAMP:20260101T000000Z\r\nDUE;VALUE=DATE:20260105\r\nPRIORITY:9\r\nSTATUS:COMPLETED\r\nRRULE:FREQ=DAILY;INTERVAL=2\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
}

// A calendar object from the network: an error, or a model that renders, merges with the
// text it came from, and parses again.
func FuzzICalendarToEvent(f *testing.F) {
	for _, s := range icalSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cal, err := parseICal(raw)
		if err != nil {
			return
		}
		stamp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var out *ical.Calendar
		if e, err := eventFromICal(cal, "me@example.com"); err == nil {
			out = eventToICal(e, "uid", stamp)
		} else if tk, _, err := taskFromICal(cal); err == nil {
			out = taskToICal(tk, "uid", stamp)
		} else {
			return
		}
		mergeICal(out, raw)
		scrubICal(out.Component)
		text, err := encodeICal(out)
		if err != nil {
			t.Fatalf("a mapped object does not encode: %v", err)
		}
		if _, err := parseICal(string(text)); err != nil {
			t.Fatalf("the answer does not parse: %v\n%s", err, text)
		}
	})
}

var vcardSeeds = []string{
	contactSeed3,
	"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1\r\nFN:Ana\r\nN:;Ana;;;\r\nTEL;VALUE=uri;TYPE=\"voice,home\":tel:+1-555\r\nBDAY:--0412\r\nANNIVERSARY:20100601\r\nPHOTO:data:image/png;base64,iVBORw0KGgo=\r\nIMPP:xmpp:ana@x\r\nEND:VCARD\r\n",
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Org only\r\nORG:Acme\r\nEMAIL:\"A B\" <a@b>\r\nEND:VCARD\r\n",
}

const contactSeed3 = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:Carla Diaz\r\nN:Diaz;Carla;;Dr.;\r\nEMAIL;TYPE=INTERNET:c@x\r\nTEL;TYPE=CELL:1\r\nTEL;TYPE=FAX,HOME:2\r\nADR;TYPE=HOME:;;S;C;R;P;Co\r\nBDAY:1985-04-12\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\nEND:VCARD\r\n"

// A vCard from the network: an error, or a contact that renders (3.0 and 4.0) and merges.
func FuzzVCardToContact(f *testing.F) {
	for _, s := range vcardSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		card, err := parseVCard(raw)
		if err != nil || card == nil {
			return
		}
		c, uid, err := contactFromVCard(card)
		if err != nil {
			return
		}
		if uid == "" {
			uid = "u"
		}
		for _, v := range []string{"3.0", "4.0"} {
			out := contactToVCard(c, uid, v)
			mergeVCard(out, raw)
			scrubVCard(out)
			text, err := encodeVCard(out)
			if err != nil {
				t.Fatalf("a mapped contact does not encode (%s): %v", v, err)
			}
			if _, err := parseVCard(string(text)); err != nil {
				t.Fatalf("the answer does not parse: %v\n%s", err, text)
			}
		}
	})
}
