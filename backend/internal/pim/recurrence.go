package pim

import "time"

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
