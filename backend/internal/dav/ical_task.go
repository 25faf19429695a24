package dav

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// VTODO ↔ Task. EAS keeps a task's dates twice: StartDate/DueDate on the user's clock
// (labelled UTC) and UtcStartDate/UtcDueDate as instants; iCalendar has one value with a
// zone, so both come from it and the UTC one is written back. PRIORITY 1–4 is high (EAS
// Importance 2), 5 or none normal (1), 6–9 low (0).

func taskFromICal(cal *ical.Calendar) (*pim.Task, string, error) {
	master, _, err := masterAndOverrides(cal, ical.CompToDo)
	if err != nil {
		return nil, "", err
	}
	z := newZones(cal)
	t := &pim.Task{Importance: 1}
	if err := commonFromICal(master, &t.Subject, nil, &t.Body, &t.Categories, &t.Sensitivity); err != nil {
		return nil, "", err
	}
	if p := master.Props.Get(ical.PropPriority); p != nil {
		n, err := strconv.Atoi(strings.TrimSpace(p.Value))
		if err != nil || n < 0 || n > 9 {
			return nil, "", errors.New("bad PRIORITY")
		}
		switch {
		case n >= 1 && n <= 4:
			t.Importance = 2
		case n >= 6:
			t.Importance = 0
		}
	}
	start, err := z.one(master, ical.PropDateTimeStart)
	if err != nil {
		return nil, "", err
	}
	if start != nil {
		utc, local := start.t, wallIn(start.zone, start.t)
		t.UtcStartDate, t.StartDate = &utc, &local
	}
	due, err := z.one(master, ical.PropDue)
	if err != nil {
		return nil, "", err
	}
	if due != nil {
		utc, local := due.t, wallIn(due.zone, due.t)
		t.UtcDueDate, t.DueDate = &utc, &local
	}
	done, err := z.one(master, ical.PropCompleted)
	if err != nil {
		return nil, "", err
	}
	if done != nil {
		t.Complete, t.DateCompleted = true, &done.t
	}
	if strings.EqualFold(propValue(master, ical.PropStatus), "COMPLETED") {
		t.Complete = true
		if t.DateCompleted == nil {
			now := time.Now().UTC().Truncate(time.Second)
			t.DateCompleted = &now
		}
	}
	if rule := master.Props.Get(ical.PropRecurrenceRule); rule != nil {
		base := time.Now().UTC()
		if start != nil {
			base = wallIn(start.zone, start.t)
		} else if due != nil {
			base = wallIn(due.zone, due.t)
		}
		r, err := recurrenceFrom(rule.Value, base, z)
		if err != nil && !errors.Is(err, errUnmappedRule) {
			return nil, "", err
		}
		if r != nil {
			t.Recurrence = &pim.TaskRecurrence{Recurrence: *r, Start: &base}
		}
	}
	for _, a := range master.Children {
		if a.Name != ical.CompAlarm {
			continue
		}
		if tr := a.Props.Get(ical.PropTrigger); tr != nil && (tr.ValueType() == ical.ValueDateTime || strings.HasSuffix(tr.Value, "Z")) {
			if w, err := z.parse(tr, tr.Value); err == nil {
				t.ReminderSet, t.ReminderTime = true, &w.t
				break
			}
		}
	}
	return t, propValue(master, ical.PropUID), nil
}

func taskToICal(t *pim.Task, uid string, stamp time.Time) *ical.Calendar {
	cal := newCalendar()
	c := ical.NewComponent(ical.CompToDo)
	c.Props.SetText(ical.PropUID, uid)
	c.Props.Set(timeProp(ical.PropDateTimeStamp, stamp, false, nil))
	commonToICal(c, t.Subject, "", t.Body, t.Categories, t.Sensitivity)
	prio := "5"
	switch t.Importance {
	case 0:
		prio = "9"
	case 2:
		prio = "1"
	}
	c.Props.Set(&ical.Prop{Name: ical.PropPriority, Params: ical.Params{}, Value: prio})
	if d := firstTime(t.UtcStartDate, t.StartDate); d != nil {
		c.Props.Set(timeProp(ical.PropDateTimeStart, *d, false, nil))
	}
	if d := firstTime(t.UtcDueDate, t.DueDate); d != nil {
		c.Props.Set(timeProp(ical.PropDue, *d, false, nil))
	}
	if t.Complete {
		c.Props.SetText(ical.PropStatus, "COMPLETED")
		if t.DateCompleted != nil {
			c.Props.Set(timeProp(ical.PropCompleted, *t.DateCompleted, false, nil))
		}
	} else {
		c.Props.SetText(ical.PropStatus, "NEEDS-ACTION")
	}
	if t.Recurrence != nil {
		c.Props.Set(&ical.Prop{Name: ical.PropRecurrenceRule, Params: ical.Params{}, Value: rruleText(&t.Recurrence.Recurrence)})
		if c.Props.Get(ical.PropDateTimeStart) == nil && t.Recurrence.Start != nil {
			c.Props.Set(timeProp(ical.PropDateTimeStart, *t.Recurrence.Start, false, nil))
		}
	}
	if t.ReminderSet && t.ReminderTime != nil {
		a := ical.NewComponent(ical.CompAlarm)
		a.Props.SetText(ical.PropAction, "DISPLAY")
		a.Props.SetText(ical.PropDescription, "Reminder")
		tr := timeProp(ical.PropTrigger, *t.ReminderTime, false, nil)
		tr.Params.Set(ical.ParamValue, "DATE-TIME")
		a.Props.Set(tr)
		c.Children = append(c.Children, a)
	}
	cal.Children = append(cal.Children, c)
	return cal
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}
