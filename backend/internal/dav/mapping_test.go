package dav

import (
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

func mustCal(t *testing.T, s string) string {
	t.Helper()
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// RRULEs EAS can carry map both ways; the others are left to the raw text.
func TestRecurrenceRules(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) // a Tuesday
	z := newZones(nil)
	for _, rule := range []string{"FREQ=DAILY;INTERVAL=2;COUNT=5", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYMONTHDAY=10",
		"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10", "FREQ=YEARLY;BYMONTH=3;BYDAY=TU;BYSETPOS=-1",
		"FREQ=WEEKLY;UNTIL=20261231T000000Z;BYDAY=TU"} {
		r, err := recurrenceFrom(rule, start, z)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		back := rruleText(r)
		again, err := recurrenceFrom(back, start, z)
		if err != nil || again.Interval != r.Interval || again.Type != r.Type || again.DayOfWeek != r.DayOfWeek ||
			again.WeekOfMonth != r.WeekOfMonth || again.DayOfMonth != r.DayOfMonth || again.Occurrences != r.Occurrences {
			t.Fatalf("%s → %+v → %s → %+v (%v)", rule, r, back, again, err)
		}
	}
	if r, _ := recurrenceFrom("FREQ=MONTHLY;BYDAY=2TU", start, z); r.Type != pim.RecurMonthlyNth || r.WeekOfMonth != 2 || r.DayOfWeek != pim.Tuesday {
		t.Fatalf("2TU: %+v", r)
	}
	for _, rule := range []string{"FREQ=HOURLY", "FREQ=MONTHLY;BYDAY=1MO,3WE", "FREQ=WEEKLY;BYHOUR=9"} {
		if _, err := recurrenceFrom(rule, start, z); err != errUnmappedRule {
			t.Fatalf("%s: %v, want errUnmappedRule", rule, err)
		}
	}
}

// An all-day event and a task, through the model and back.
func TestAllDayEventAndTask(t *testing.T) {
	cal, err := parseICal(mustCal(t, `BEGIN:VCALENDAR
VERSION:2.0
PRODID:x
BEGIN:VEVENT
UID:holiday
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20261225
DTEND;VALUE=DATE:20261227
SUMMARY:Holidays
TRANSP:TRANSPARENT
CATEGORIES:Private,Family
CLASS:PRIVATE
END:VEVENT
END:VCALENDAR
`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := eventFromICal(cal, "me@x")
	if err != nil || !e.AllDay || !e.Start.Equal(time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)) || !e.End.Equal(time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC)) ||
		e.BusyStatus != 0 || len(e.Categories) != 2 || e.Sensitivity != 2 {
		t.Fatalf("all-day: %+v %v", e, err)
	}
	text, _ := encodeICal(eventToICal(e, "holiday", time.Now()))
	for _, want := range []string{"DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261227", "TRANSP:TRANSPARENT", "CATEGORIES:Private,Family"} {
		if !strings.Contains(string(text), want) {
			t.Fatalf("lacks %s:\n%s", want, text)
		}
	}

	cal, _ = parseICal(mustCal(t, `BEGIN:VCALENDAR
VERSION:2.0
PRODID:x
BEGIN:VTODO
UID:t1
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Berlin:20261201T090000
DUE;TZID=Europe/Berlin:20261203T170000
SUMMARY:Report
PRIORITY:9
COMPLETED:20261202T120000Z
STATUS:COMPLETED
RRULE:FREQ=WEEKLY;BYDAY=TU
END:VTODO
END:VCALENDAR
`))
	task, uid, err := taskFromICal(cal)
	if err != nil || uid != "t1" || task.Importance != 0 || !task.Complete || task.UtcDueDate == nil ||
		!task.UtcDueDate.Equal(time.Date(2026, 12, 3, 16, 0, 0, 0, time.UTC)) || !task.DueDate.Equal(time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)) ||
		task.Recurrence == nil || task.Recurrence.Type != pim.RecurWeekly {
		t.Fatalf("task: %+v %v", task, err)
	}
	text, _ = encodeICal(taskToICal(task, uid, time.Now()))
	for _, want := range []string{"DUE:20261203T160000Z", "PRIORITY:9", "STATUS:COMPLETED", "COMPLETED:20261202T120000Z", "RRULE:FREQ=WEEKLY;BYDAY=TU"} {
		if !strings.Contains(string(text), want) {
			t.Fatalf("task lacks %s:\n%s", want, text)
		}
	}
}

// vCard 4.0 in, 4.0 out, with a photo and what the model lacks kept.
func TestVCard4(t *testing.T) {
	raw := mustCal(t, `BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:4
FN:Ana Lopez
N:Lopez;Ana;;;
EMAIL;TYPE=work:ana@work.example
EMAIL;TYPE=home:ana@home.example
TEL;VALUE=uri;TYPE="cell":tel:+34-600-000-001
ANNIVERSARY:20100601
PHOTO:data:image/png;base64,iVBORw0KGgo=
GENDER:F
END:VCARD
`)
	card, err := parseVCard(raw)
	if err != nil {
		t.Fatal(err)
	}
	c, uid, err := contactFromVCard(card)
	if err != nil || uid != "urn:uuid:4" || c.Email2 != "ana@home.example" || c.MobilePhone != "+34-600-000-001" ||
		c.Anniversary == nil || len(c.Picture) == 0 {
		t.Fatalf("%+v %q %v", c, uid, err)
	}
	out := contactToVCard(c, uid, "4.0")
	mergeVCard(out, raw)
	text, _ := encodeVCard(out)
	for _, want := range []string{"VERSION:4.0", "ANNIVERSARY:2010-06-01", "PHOTO:data:image/jpeg;base64,iVBORw0KGgo=", "GENDER:F", "UID:urn:uuid:4"} {
		if !strings.Contains(string(text), want) {
			t.Fatalf("lacks %s:\n%s", want, text)
		}
	}
}

// What found no EAS slot (a fourth e-mail, a third mobile number) survives an answer built from
// the model; what the phone deleted from a slot it had does not come back.
func TestUnslottedValuesKept(t *testing.T) {
	raw := mustCal(t, `BEGIN:VCARD
VERSION:3.0
UID:five-mails
FN:Ben Ortiz
N:Ortiz;Ben;;;
EMAIL;TYPE=INTERNET:one@example.org
EMAIL;TYPE=INTERNET:two@example.org
EMAIL;TYPE=INTERNET:three@example.org
EMAIL;TYPE=INTERNET:four@example.org
TEL;TYPE=CELL:+1-555-0101
TEL;TYPE=CELL:+1-555-0102
TEL;TYPE=CELL:+1-555-0103
END:VCARD
`)
	card, err := parseVCard(raw)
	if err != nil {
		t.Fatal(err)
	}
	c, uid, err := contactFromVCard(card)
	if err != nil || c.Email3 != "three@example.org" {
		t.Fatalf("%+v %v", c, err)
	}
	answer := func(c *pim.Contact) string {
		out := contactToVCard(c, uid, "3.0")
		mergeVCard(out, raw)
		text, err := encodeVCard(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(text)
	}
	text := answer(c)
	for _, want := range []string{"one@example.org", "three@example.org", "four@example.org", "+1-555-0101", "+1-555-0103"} {
		if !strings.Contains(text, want) {
			t.Fatalf("lacks %s:\n%s", want, text)
		}
	}
	if strings.Count(text, "four@example.org") != 1 || strings.Count(text, "one@example.org") != 1 {
		t.Fatalf("a value twice:\n%s", text)
	}
	// The phone deletes the second address and the first number: they had slots, so they stay gone.
	changed := *c
	changed.Email2 = ""
	changed.MobilePhone = ""
	text = answer(&changed)
	if strings.Contains(text, "two@example.org") || strings.Contains(text, "+1-555-0101") ||
		!strings.Contains(text, "four@example.org") || !strings.Contains(text, "+1-555-0103") {
		t.Fatalf("after the phone's change:\n%s", text)
	}
}
