package pim

import (
	"fmt"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// The two date forms of MS-ASDTYPE. Which one an element takes is fixed by
// its class spec: Compact DateTime (2.7.2) for the calendar (StartTime,
// EndTime, DtStamp, Until, ExceptionStartTime, InstanceId) and notes
// (LastModifiedDate); dateTime (2.3) for contacts (Birthday, Anniversary)
// and every task date.
const (
	compactLayout  = "20060102T150405Z"
	dateTimeLayout = "2006-01-02T15:04:05.000Z"
)

// FormatCompact writes t as a Compact DateTime, 20261122T140000Z.
func FormatCompact(t time.Time) string { return t.UTC().Format(compactLayout) }

// FormatDateTime writes t as an MS-ASDTYPE dateTime, 2026-11-22T14:00:00.000Z.
func FormatDateTime(t time.Time) string { return t.UTC().Format(dateTimeLayout) }

// parseLayouts are the forms devices send, in either field kind: clients
// mix them up (z-push writes task recurrence dates compact, old Android
// builds send a birthday as a bare date), so Decode takes any of them.
var parseLayouts = []string{
	compactLayout,
	"20060102T150405",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"20060102",
	"2006-01-02",
}

// ParseDate reads a date in any MS-ASDTYPE form (compact or dateTime,
// with or without the Z and fractions, or a bare date) and returns it in
// UTC. A value without a zone is taken as UTC, which is what EAS means.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range parseLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not an MS-ASDTYPE date")
}

// date reads a required date element.
func (r *reader) date(n *wbxml.Node) time.Time {
	t, err := ParseDate(n.Value())
	if err != nil {
		r.fail(n, "date", err)
	}
	return t
}

// datePtr reads an optional date element; an empty one means no date.
func (r *reader) datePtr(n *wbxml.Node) *time.Time {
	if strings.TrimSpace(n.Value()) == "" {
		return nil
	}
	t := r.date(n)
	return &t
}

// compact and dateTime write a date element when the date is set.
func (o *out) compact(name string, t *time.Time) {
	if t != nil && !t.IsZero() {
		o.always(name, FormatCompact(*t))
	}
}

func (o *out) dateTime(name string, t *time.Time) {
	if t != nil && !t.IsZero() {
		o.always(name, FormatDateTime(*t))
	}
}
