package pim

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

func TestParseDate(t *testing.T) {
	want := utc("2026-11-22T14:00:00.000Z")
	for _, s := range []string{"20261122T140000Z", "20261122T140000", "2026-11-22T14:00:00.000Z",
		"2026-11-22T14:00:00Z", "2026-11-22T15:00:00+01:00", "2026-11-22T14:00:00.000", " 20261122T140000Z\n"} {
		if got, err := ParseDate(s); err != nil || !got.Equal(want) || got.Location().String() != "UTC" {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	if got, err := ParseDate("1969-12-31"); err != nil || !got.Equal(utc("1969-12-31T00:00:00.000Z")) {
		t.Errorf("bare date: %v, %v", got, err)
	}
	for _, bad := range []string{"", "yesterday", "2026-13-01T00:00:00Z", "20261122 140000"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
	if s := FormatCompact(want); s != "20261122T140000Z" {
		t.Errorf("FormatCompact = %s", s)
	}
	if s := FormatDateTime(want); s != "2026-11-22T14:00:00.000Z" {
		t.Errorf("FormatDateTime = %s", s)
	}
}

func body(t *testing.T, nodes []*wbxml.Node) *wbxml.Node {
	t.Helper()
	b := wrap(nodes).Child("AirSyncBase:Body")
	if b == nil {
		t.Fatal("no body")
	}
	return b
}

func TestBodyTruncation(t *testing.T) {
	n := &Note{Subject: "x", Body: "Äpfel und Birnen"}
	b := body(t, EncodeNote(n, "14.1", 5))
	if b.TextOf("Data") != "Äpfe" || b.TextOf("Truncated") != "1" || b.TextOf("EstimatedDataSize") != "17" || b.TextOf("Type") != "1" {
		t.Fatalf("truncated body:\n%s", b)
	}
	// A cut that would split Ä keeps the character out.
	if d := body(t, EncodeNote(n, "14.1", 1)).TextOf("Data"); d != "" {
		t.Fatalf("1-byte cut gave %q", d)
	}
	b = body(t, EncodeNote(n, "14.1", 100))
	if b.TextOf("Data") != n.Body || b.Has("Truncated") {
		t.Fatalf("untruncated body:\n%s", b)
	}
	b = body(t, EncodeNote(&Note{}, "14.1", 0))
	if b.Has("Data") || b.TextOf("EstimatedDataSize") != "0" {
		t.Fatalf("empty body:\n%s", b)
	}
}

func TestBodyTypes(t *testing.T) {
	for _, c := range []struct{ typ, data, want string }{
		{"1", "a <b> & c", "a <b> & c"},
		{"2", "<div>Hallo&nbsp;Welt</div><div>zweite<br/>Zeile &amp; mehr</div>", "Hallo\u00a0Welt\n\nzweite\nZeile & mehr"},
		{"2", "<html><head><style>p {margin:0}</style></head><body><p>Hi</p><SCRIPT>x()</SCRIPT></body></html>", "Hi"},
		{"3", "e1xydGYxfQ==", ""}, // compressed RTF has no text form here
	} {
		ad := wrap([]*wbxml.Node{wbxml.New("AirSyncBase:Body", wbxml.NewText("Type", c.typ), wbxml.NewText("Data", c.data))})
		n, err := DecodeNote(ad)
		if err != nil || n.Body != c.want {
			t.Errorf("type %s: %q, %v; want %q", c.typ, n.Body, err, c.want)
		}
	}
}

// eventForVersions has every element whose form depends on the version.
func eventForVersions() *Event {
	return &Event{Subject: "s", Location: "Raum", Start: utc("20260105T100000Z"), End: utc("20260105T110000Z"),
		UID: "u", ResponseRequested: true, ResponseType: 3, DisallowNewTimeProposal: true,
		Attendees:  []Attendee{{Email: "a@x", Name: "A"}},
		Recurrence: &Recurrence{Type: RecurWeekly, Interval: 2, DayOfWeek: Monday, FirstDayOfWeek: 1, CalendarType: 1},
		Exceptions: []Exception{{ExceptionStartTime: utc("20260119T100000Z"), Deleted: true}}}
}

func TestEventVersions(t *testing.T) {
	has := func(nodes []*wbxml.Node, path ...string) bool {
		n := wrap(nodes)
		for _, p := range path {
			if n = n.Child(p); n == nil {
				return false
			}
		}
		return true
	}
	for _, c := range []struct {
		version string
		present []string
		absent  []string
	}{
		{"12.1", []string{"Calendar:Location", "Calendar:Exceptions/Calendar:Exception/Calendar:ExceptionStartTime", "Calendar:UID"},
			[]string{"Calendar:ResponseType", "Calendar:ResponseRequested", "Calendar:DisallowNewTimeProposal",
				"Calendar:Recurrence/Calendar:FirstDayOfWeek", "Calendar:Recurrence/Calendar:CalendarType", "AirSyncBase:Location"}},
		{"14.0", []string{"Calendar:ResponseType", "Calendar:ResponseRequested", "Calendar:DisallowNewTimeProposal", "Calendar:Recurrence/Calendar:CalendarType"},
			[]string{"Calendar:Recurrence/Calendar:FirstDayOfWeek"}},
		{"14.1", []string{"Calendar:Recurrence/Calendar:FirstDayOfWeek", "Calendar:Location"}, []string{"AirSyncBase:Location"}},
		{"16.0", []string{"AirSyncBase:Location/AirSyncBase:DisplayName", "Calendar:Exceptions/Calendar:Exception/AirSyncBase:InstanceId", "Calendar:UID"},
			[]string{"Calendar:Location", "Calendar:Exceptions/Calendar:Exception/Calendar:ExceptionStartTime"}},
		{"bogus", []string{"Calendar:Location"}, []string{"Calendar:ResponseType"}}, // read as 12.1
	} {
		nodes := EncodeEvent(eventForVersions(), c.version, 0)
		for _, p := range c.present {
			if !has(nodes, strings.Split(p, "/")...) {
				t.Errorf("%s: no %s", c.version, p)
			}
		}
		for _, p := range c.absent {
			if has(nodes, strings.Split(p, "/")...) {
				t.Errorf("%s: has %s", c.version, p)
			}
		}
	}
	// 16.x requires AttendeeType; 14.1 leaves an unknown type out.
	if typ := wrap(EncodeEvent(eventForVersions(), "16.1", 0)).Child("Calendar:Attendees").Child("Attendee").TextOf("AttendeeType"); typ != "1" {
		t.Errorf("16.1 AttendeeType %q", typ)
	}
	if wrap(EncodeEvent(eventForVersions(), "14.1", 0)).Child("Calendar:Attendees").Child("Attendee").Has("AttendeeType") {
		t.Errorf("14.1 sent an unknown AttendeeType")
	}
}

func TestEventTimeZoneChoice(t *testing.T) {
	tz := func(e *Event) string { return wrap(EncodeEvent(e, "14.1", 0)).TextOf("Calendar:Timezone") }
	berlin := berlinRule
	if got := tz(&Event{}); got != UTCTimeZone().Blob() {
		t.Errorf("no zone: %s", got)
	}
	if got := tz(&Event{Zone: &berlin}); got != wEurope {
		t.Errorf("Zone only: %s", got)
	}
	// The device's own blob goes back untouched, names and all.
	named := berlin
	named.StandardName = "W. Europe Standard Time"
	if got := tz(&Event{TimeZone: named.Blob(), Zone: &berlin}); got != named.Blob() {
		t.Errorf("TimeZone ignored: %s", got)
	}
}

func TestExceptionOverrides(t *testing.T) {
	// An empty Categories or Attendees in an exception clears the series'
	// value, which nil (inherit) must not be mistaken for.
	x := Exception{ExceptionStartTime: utc("20260119T100000Z"), Categories: []string{}, Attendees: []Attendee{}, Reminder: ptr(0), AllDay: ptr(false)}
	e := &Event{Start: utc("20260105T100000Z"), Categories: []string{"A"}, Exceptions: []Exception{x, {ExceptionStartTime: utc("20260126T100000Z")}}}
	back, err := DecodeEvent(wrap(EncodeEvent(e, "14.1", 0)))
	if err != nil {
		t.Fatal(err)
	}
	same(t, back.Exceptions, e.Exceptions)
	if back.Exceptions[1].Categories != nil || back.Exceptions[1].Reminder != nil {
		t.Fatalf("inheriting exception: %+v", back.Exceptions[1])
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		class string
		node  *wbxml.Node
	}{
		{ClassCalendar, wbxml.NewText("Calendar:StartTime", "tomorrow")},
		{ClassCalendar, wbxml.NewText("Calendar:BusyStatus", "busy")},
		{ClassCalendar, wbxml.NewText("Calendar:Timezone", "AAAA")},
		{ClassCalendar, wbxml.NewText("Calendar:AllDayEvent", "2")},
		{ClassCalendar, wbxml.New("Calendar:Exceptions", wbxml.New("Exception", wbxml.NewText("ExceptionStartTime", "x")))},
		{ClassCalendar, wbxml.New("Calendar:Recurrence", wbxml.NewText("Interval", "every"))},
		{ClassContacts, wbxml.NewText("Contacts:Picture", "not base64")},
		{ClassContacts, wbxml.NewText("Contacts:Birthday", "12.08.1964")},
		{ClassTasks, wbxml.NewText("Tasks:Importance", "high")},
		{ClassTasks, wbxml.New("Tasks:Recurrence", wbxml.NewText("Start", "soon"))},
		{ClassNotes, wbxml.NewText("Notes:LastModifiedDate", "now")},
	} {
		if _, err := codecs[c.class].decode(wrap([]*wbxml.Node{c.node})); err == nil {
			t.Errorf("%s accepted %s", c.class, c.node)
		}
	}
	for class, cd := range codecs {
		if _, err := cd.decode(nil); err == nil {
			t.Errorf("%s accepted nil", class)
		}
	}
	if _, err := DecodeException(nil); err == nil {
		t.Error("DecodeException(nil) succeeded")
	}
}

func TestDefaults(t *testing.T) {
	empty := wrap(nil)
	e, _ := DecodeEvent(empty)
	k, _ := DecodeTask(empty)
	n, _ := DecodeNote(empty)
	if e.BusyStatus != 2 || k.Importance != 1 || n.MessageClass != "IPM.StickyNote" {
		t.Fatalf("defaults: busy %d, importance %d, class %q", e.BusyStatus, k.Importance, n.MessageClass)
	}
	// An empty Reminder is "no reminder", an empty Picture "no picture".
	e, _ = DecodeEvent(wrap([]*wbxml.Node{wbxml.NewText("Calendar:Reminder", "")}))
	c, _ := DecodeContact(wrap([]*wbxml.Node{wbxml.NewText("Contacts:Picture", "")}))
	if e.Reminder != nil || c.Picture != nil {
		t.Fatalf("empty elements: reminder %v, picture %v", e.Reminder, c.Picture)
	}
	if got := wrap(EncodeNote(&Note{}, "14.1", 0)).TextOf("Notes:MessageClass"); got != "IPM.StickyNote" {
		t.Fatalf("MessageClass %q", got)
	}
}

func TestPictureLimit(t *testing.T) {
	small := &Contact{Picture: make([]byte, 36*1024)} // 48 KB in base64
	big := &Contact{Picture: make([]byte, 36*1024+1)}
	if !wrap(EncodeContact(small, "14.1", 0)).Has("Contacts:Picture") || wrap(EncodeContact(big, "14.1", 0)).Has("Contacts:Picture") {
		t.Fatal("the 48 KB limit is not where MS-ASCNTC puts it")
	}
	// Opaque pictures, as some clients send them, are bytes already.
	c, err := DecodeContact(wrap([]*wbxml.Node{wbxml.NewOpaque("Contacts:Picture", []byte{1, 2})}))
	if err != nil || string(c.Picture) != "\x01\x02" {
		t.Fatalf("opaque picture %v, %v", c.Picture, err)
	}
}

func TestSummary(t *testing.T) {
	for _, c := range []struct {
		c    Contact
		want string
	}{
		{Contact{FileAs: "Doe, J", FirstName: "J"}, "Doe, J"},
		{Contact{FirstName: "Jane", LastName: "Doe"}, "Jane Doe"},
		{Contact{CompanyName: "ACME"}, "ACME"},
		{Contact{Email1: "x@y"}, "x@y"},
	} {
		if got := c.c.Summary(); got != c.want {
			t.Errorf("%+v: %q", c.c, got)
		}
	}
	if (&Event{Subject: "e"}).Summary() != "e" || (&Task{Subject: "t"}).Summary() != "t" || (&Note{Subject: "n"}).Summary() != "n" {
		t.Error("subject summaries")
	}
}

// TestRoundTripEverything sets every field once, so that a field Encode
// writes and Decode misses (or the reverse) cannot hide.
func TestRoundTripEverything(t *testing.T) {
	d := ptr(utc("2026-05-01T10:00:00.000Z"))
	contact := &Contact{Picture: []byte{0xff, 0xd8, 0xff}, Body: "b", Birthday: d, Anniversary: d,
		Children: []string{"c"}, Categories: []string{"k"}}
	for _, f := range contactText {
		*f.get(contact) = f.name
	}
	zone := berlinRule
	zone.StandardName = "W. Europe Standard Time"
	event := &Event{Subject: "s", Location: "l", Start: *d, End: d.Add(3600e9), AllDay: true, TimeZone: zone.Blob(), Zone: &zone,
		BusyStatus: 3, Sensitivity: 2, Reminder: ptr(30), OrganizerName: "o", OrganizerEmail: "o@x", UID: "u", MeetingStatus: 3,
		ResponseRequested: true, ResponseType: 5, DisallowNewTimeProposal: true,
		Attendees:  []Attendee{{Email: "a@x", Name: "A", Status: 4, Type: 3}},
		Recurrence: &Recurrence{Type: RecurYearlyNth, Interval: 1, Until: d, DayOfWeek: Thursday, WeekOfMonth: 5, MonthOfYear: 11, FirstDayOfWeek: 1, CalendarType: 1, IsLeapMonth: true},
		Exceptions: []Exception{{ExceptionStartTime: *d, Subject: ptr("x"), Location: ptr("y"), Start: d, End: d, AllDay: ptr(true),
			BusyStatus: ptr(1), Sensitivity: ptr(1), Reminder: ptr(5), MeetingStatus: ptr(7), Body: ptr("xb"), DtStamp: d,
			Categories: []string{"z"}, Attendees: []Attendee{{Email: "q@x", Name: "Q", Status: 2, Type: 2}}}},
		Categories: []string{"k"}, Body: "b", DtStamp: *d}
	task := &Task{Subject: "s", Body: "b", Importance: 0, Complete: true, DateCompleted: d, StartDate: d, UtcStartDate: d, DueDate: d, UtcDueDate: d,
		Recurrence: &TaskRecurrence{Recurrence: Recurrence{Type: RecurMonthlyNth, Interval: 2, Occurrences: 4, DayOfWeek: LastDayOfMonth, DayOfMonth: 3,
			WeekOfMonth: 2, MonthOfYear: 4, FirstDayOfWeek: 6, CalendarType: 2, IsLeapMonth: true}, Start: d, Regenerate: true, DeadOccur: true},
		ReminderSet: true, ReminderTime: d, Sensitivity: 3, Categories: []string{"k"}}
	note := &Note{Subject: "s", Body: "b", MessageClass: "IPM.StickyNote.Custom", LastModified: *d, Categories: []string{"k"}}
	for _, ver := range []string{"14.1", "16.0", "16.1"} {
		for class, v := range map[string]any{ClassContacts: contact, ClassCalendar: event, ClassTasks: task, ClassNotes: note} {
			back, err := codecs[class].decode(wrap(codecs[class].encode(v, ver, 0)))
			if err != nil {
				t.Fatalf("%s %s: %v", class, ver, err)
			}
			same(t, back, v)
		}
	}
}

func TestDecodeInstanceChange(t *testing.T) {
	// A 16.x Change of one occurrence: ServerId and InstanceId beside an
	// ApplicationData holding the occurrence's fields.
	ad := wrap([]*wbxml.Node{
		wbxml.NewText("Calendar:Subject", "moved"),
		wbxml.NewText("Calendar:StartTime", "20261028T130000Z"),
		wbxml.NewText("Calendar:EndTime", "20261028T140000Z"),
		wbxml.New("AirSyncBase:Location", wbxml.NewText("DisplayName", "Raum Alster"), wbxml.NewText("Annotation", "2. OG")),
	})
	x, err := DecodeException(ad)
	if err != nil {
		t.Fatal(err)
	}
	same(t, x, &Exception{Subject: ptr("moved"), Start: ptr(utc("20261028T130000Z")), End: ptr(utc("20261028T140000Z")), Location: ptr("Raum Alster")})
	if _, err := DecodeException(wrap([]*wbxml.Node{wbxml.NewText("Calendar:EndTime", "later")})); err == nil {
		t.Fatal("bad EndTime accepted")
	}
}
