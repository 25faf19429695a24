package pim

import (
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// Recurrence types of MS-ASCAL 2.2.2.39 and MS-ASTASK 2.2.2.29; 4 is unused.
const (
	RecurDaily      = 0
	RecurWeekly     = 1
	RecurMonthly    = 2 // on DayOfMonth
	RecurMonthlyNth = 3 // on the WeekOfMonth-th DayOfWeek
	RecurYearly     = 5 // on DayOfMonth of MonthOfYear
	RecurYearlyNth  = 6 // on the WeekOfMonth-th DayOfWeek of MonthOfYear
)

// DayOfWeek bits; LastDayOfMonth (all bits) is valid in monthly and yearly
// patterns only. WeekOfMonth 5 means the last week.
const (
	Sunday         = 1
	Monday         = 2
	Tuesday        = 4
	Wednesday      = 8
	Thursday       = 16
	Friday         = 32
	Saturday       = 64
	LastDayOfMonth = 127
)

// Recurrence is the pattern of a recurring event. Fields that are zero are
// not sent, except Type, and FirstDayOfWeek (0 = Sunday) for weekly
// patterns from 14.1 on: MS-ASTASK requires it in server responses for
// weekly task patterns, and events get it alike.
type Recurrence struct {
	Type           int        `json:"type"`
	Interval       int        `json:"interval,omitempty"`
	Until          *time.Time `json:"until,omitempty"`
	Occurrences    int        `json:"occurrences,omitempty"`
	DayOfWeek      int        `json:"dayOfWeek,omitempty"`
	DayOfMonth     int        `json:"dayOfMonth,omitempty"`
	WeekOfMonth    int        `json:"weekOfMonth,omitempty"`
	MonthOfYear    int        `json:"monthOfYear,omitempty"`
	FirstDayOfWeek int        `json:"firstDayOfWeek,omitempty"`
	CalendarType   int        `json:"calendarType,omitempty"` // 14.0+, 0 = default Gregorian
	IsLeapMonth    bool       `json:"isLeapMonth,omitempty"`  // 14.0+
}

// TaskRecurrence is a task's pattern: the event fields plus the start of
// the pattern and the regenerating flags of MS-ASTASK.
type TaskRecurrence struct {
	Recurrence
	Start      *time.Time `json:"start,omitempty"`
	Regenerate bool       `json:"regenerate,omitempty"` // the next task is due Interval after completion
	DeadOccur  bool       `json:"deadOccur,omitempty"`  // the task has no further occurrences
}

// recurrenceNode writes a Recurrence in page ns ("Calendar" or "Tasks") with
// the page's date form; task, when not nil, adds the task-only elements.
func recurrenceNode(ns string, r *Recurrence, v int, date func(*out, string, *time.Time), task *TaskRecurrence) *wbxml.Node {
	var o out
	p := ns + ":"
	o.num(p+"Type", r.Type)
	if task != nil {
		date(&o, p+"Start", task.Start)
	}
	date(&o, p+"Until", r.Until)
	positive := func(name string, n int) {
		if n > 0 {
			o.num(p+name, n)
		}
	}
	positive("Occurrences", r.Occurrences)
	positive("Interval", r.Interval)
	positive("DayOfWeek", r.DayOfWeek)
	positive("DayOfMonth", r.DayOfMonth)
	positive("WeekOfMonth", r.WeekOfMonth)
	positive("MonthOfYear", r.MonthOfYear)
	if task != nil {
		if task.Regenerate {
			o.flag(p+"Regenerate", true)
		}
		if task.DeadOccur {
			o.flag(p+"DeadOccur", true)
		}
	}
	if v >= 140 {
		positive("CalendarType", r.CalendarType)
		if r.IsLeapMonth {
			o.flag(p+"IsLeapMonth", true)
		}
	}
	if v >= 141 && (r.Type == RecurWeekly || r.FirstDayOfWeek != 0) {
		o.num(p+"FirstDayOfWeek", r.FirstDayOfWeek)
	}
	return wbxml.New(p+"Recurrence", o...)
}

// decodeRecurrence reads the children of a Recurrence element of page ns
// into r, and the task-only ones into task when that is not nil.
func (rd *reader) decodeRecurrence(n *wbxml.Node, ns string, r *Recurrence, task *TaskRecurrence) {
	for _, c := range n.Children {
		if c.Namespace() != ns {
			continue
		}
		switch c.Local() {
		case "Type":
			r.Type = rd.num(c)
		case "Interval":
			r.Interval = rd.num(c)
		case "Until":
			r.Until = rd.datePtr(c)
		case "Occurrences":
			r.Occurrences = rd.num(c)
		case "DayOfWeek":
			r.DayOfWeek = rd.num(c)
		case "DayOfMonth":
			r.DayOfMonth = rd.num(c)
		case "WeekOfMonth":
			r.WeekOfMonth = rd.num(c)
		case "MonthOfYear":
			r.MonthOfYear = rd.num(c)
		case "FirstDayOfWeek":
			r.FirstDayOfWeek = rd.num(c)
		case "CalendarType":
			r.CalendarType = rd.num(c)
		case "IsLeapMonth":
			r.IsLeapMonth = rd.flag(c)
		}
		if task == nil {
			continue
		}
		switch c.Local() {
		case "Start":
			task.Start = rd.datePtr(c)
		case "Regenerate":
			task.Regenerate = rd.flag(c)
		case "DeadOccur":
			task.DeadOccur = rd.flag(c)
		}
	}
}
