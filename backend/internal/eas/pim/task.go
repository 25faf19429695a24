package pim

import (
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// EncodeTask builds the ApplicationData children for t, the same in every
// version from 12.1 on except that FirstDayOfWeek (14.1) and CalendarType
// and IsLeapMonth (14.0) go only to clients that know them. Importance,
// Complete, ReminderSet and Sensitivity are always sent: z-push notes that
// Android's client read a missing Importance as low, not normal.
func EncodeTask(t *Task, version string, bodyTruncation int64) []*wbxml.Node {
	v := versionNum(version)
	var o out
	o.node(encodeBody(t.Body, bodyTruncation))
	o.text("Tasks:Subject", t.Subject)
	o.num("Tasks:Importance", t.Importance)
	o.dateTime("Tasks:UtcStartDate", t.UtcStartDate)
	o.dateTime("Tasks:StartDate", t.StartDate)
	o.dateTime("Tasks:UtcDueDate", t.UtcDueDate)
	o.dateTime("Tasks:DueDate", t.DueDate)
	o.list("Tasks:Categories", "Category", t.Categories)
	if t.Recurrence != nil {
		o.node(recurrenceNode("Tasks", &t.Recurrence.Recurrence, v, (*out).dateTime, t.Recurrence))
	}
	o.flag("Tasks:Complete", t.Complete)
	o.dateTime("Tasks:DateCompleted", t.DateCompleted)
	o.num("Tasks:Sensitivity", t.Sensitivity)
	o.dateTime("Tasks:ReminderTime", t.ReminderTime)
	o.flag("Tasks:ReminderSet", t.ReminderSet)
	return o
}

// DecodeTask reads a task a device sent; Importance defaults to normal.
func DecodeTask(ad *wbxml.Node) (*Task, error) {
	if ad == nil {
		return nil, errors.New("pim: no ApplicationData")
	}
	t := &Task{Importance: 1}
	var r reader
	for _, n := range ad.Children {
		switch n.Name {
		case "AirSyncBase:Body":
			t.Body = decodeBody(n)
		case "Tasks:Body":
			t.Body = n.Value()
		case "Tasks:Subject":
			t.Subject = n.Value()
		case "Tasks:Importance":
			t.Importance = r.num(n)
		case "Tasks:UtcStartDate":
			t.UtcStartDate = r.datePtr(n)
		case "Tasks:StartDate":
			t.StartDate = r.datePtr(n)
		case "Tasks:UtcDueDate":
			t.UtcDueDate = r.datePtr(n)
		case "Tasks:DueDate":
			t.DueDate = r.datePtr(n)
		case "Tasks:Categories":
			t.Categories = nonEmpty(list(n, "Category"))
		case "Tasks:Recurrence":
			t.Recurrence = &TaskRecurrence{}
			r.decodeRecurrence(n, "Tasks", &t.Recurrence.Recurrence, t.Recurrence)
		case "Tasks:Complete":
			t.Complete = r.flag(n)
		case "Tasks:DateCompleted":
			t.DateCompleted = r.datePtr(n)
		case "Tasks:Sensitivity":
			t.Sensitivity = r.num(n)
		case "Tasks:ReminderTime":
			t.ReminderTime = r.datePtr(n)
		case "Tasks:ReminderSet":
			t.ReminderSet = r.flag(n)
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return t, nil
}
