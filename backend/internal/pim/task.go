package pim

import "time"

// Task is an item of a Tasks folder (MS-ASTASK). Every date is an
// MS-ASDTYPE dateTime. StartDate and DueDate are the user's local wall
// clock written with a Z (a task due "Friday 17:00" in Berlin is
// 2026-11-20T17:00:00.000Z), the Utc forms are the real instants; devices
// send both and read either.
type Task struct {
	Subject       string          `json:"subject,omitempty"`
	Body          string          `json:"body,omitempty"`
	Importance    int             `json:"importance"` // 0 low, 1 normal, 2 high
	Complete      bool            `json:"complete,omitempty"`
	DateCompleted *time.Time      `json:"dateCompleted,omitempty"`
	StartDate     *time.Time      `json:"startDate,omitempty"`
	UtcStartDate  *time.Time      `json:"utcStartDate,omitempty"`
	DueDate       *time.Time      `json:"dueDate,omitempty"`
	UtcDueDate    *time.Time      `json:"utcDueDate,omitempty"`
	Recurrence    *TaskRecurrence `json:"recurrence,omitempty"`
	ReminderSet   bool            `json:"reminderSet,omitempty"`
	ReminderTime  *time.Time      `json:"reminderTime,omitempty"` // an instant
	Sensitivity   int             `json:"sensitivity,omitempty"`
	Categories    []string        `json:"categories,omitempty"`
}

// Summary is the task's subject.
func (t *Task) Summary() string { return t.Subject }
