package pim

import (
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

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
