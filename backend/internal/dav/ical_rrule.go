package dav

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// RRULE ↔ EAS Recurrence. EAS has daily, weekly (a set of weekdays), monthly on a day or on
// the n-th weekday, and yearly the same; each with an interval and an end (UNTIL or COUNT).
// A rule outside that set cannot be carried to EAS: errUnmappedRule, and the event keeps its
// RRULE only in the raw text (see merge.go).

var errUnmappedRule = fmt.Errorf("recurrence rule outside what EAS carries")

var dayBits = []int{pim.Sunday, pim.Monday, pim.Tuesday, pim.Wednesday, pim.Thursday, pim.Friday, pim.Saturday}

func parseRRule(s string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok {
			m[strings.ToUpper(strings.TrimSpace(k))] = strings.ToUpper(strings.TrimSpace(v))
		}
	}
	return m
}

// recurrenceFrom maps an RRULE; start is the series' first start (for rules that leave the
// day to DTSTART).
func recurrenceFrom(rule string, start time.Time, z *zones) (*pim.Recurrence, error) {
	m := parseRRule(rule)
	r := &pim.Recurrence{Interval: 1}
	for k := range m {
		switch k {
		case "FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST", "BYSETPOS":
		default:
			return nil, errUnmappedRule
		}
	}
	if v, ok := m["INTERVAL"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			return nil, fmt.Errorf("RRULE: bad INTERVAL %q", v)
		}
		r.Interval = n
	}
	if v, ok := m["COUNT"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			return nil, fmt.Errorf("RRULE: bad COUNT %q", v)
		}
		r.Occurrences = n
	}
	if v, ok := m["UNTIL"]; ok {
		w, err := z.parse(&icalPropUntil, v)
		if err != nil {
			return nil, fmt.Errorf("RRULE: bad UNTIL %q", v)
		}
		u := w.t
		if w.allDay { // the whole last day counts
			u = u.Add(24*time.Hour - time.Second)
		}
		r.Until = &u
	}
	if v, ok := m["WKST"]; ok {
		_, d, ok := byDay(v)
		if !ok {
			return nil, fmt.Errorf("RRULE: bad WKST %q", v)
		}
		r.FirstDayOfWeek = d
	}
	var days, ordinal int
	if v, ok := m["BYDAY"]; ok {
		for _, d := range strings.Split(v, ",") {
			n, wd, ok := byDay(d)
			if !ok {
				return nil, fmt.Errorf("RRULE: bad BYDAY %q", v)
			}
			if n != 0 {
				if ordinal != 0 && ordinal != n {
					return nil, errUnmappedRule
				}
				ordinal = n
			}
			days |= dayBits[wd]
		}
	}
	if v, ok := m["BYSETPOS"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 || n > 5 || n == 0 || ordinal != 0 {
			return nil, errUnmappedRule
		}
		ordinal = n
	}
	if ordinal == -1 {
		ordinal = 5
	}
	if ordinal < 0 {
		return nil, errUnmappedRule
	}
	monthDay := 0
	if v, ok := m["BYMONTHDAY"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 31 {
			return nil, errUnmappedRule
		}
		monthDay = n
	}
	month := 0
	if v, ok := m["BYMONTH"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 12 {
			return nil, errUnmappedRule
		}
		month = n
	}
	switch m["FREQ"] {
	case "DAILY":
		if days != 0 || monthDay != 0 || month != 0 {
			return nil, errUnmappedRule
		}
		r.Type = pim.RecurDaily
	case "WEEKLY":
		if days == 0 {
			days = dayBits[start.Weekday()]
		}
		if ordinal != 0 || monthDay != 0 || month != 0 {
			return nil, errUnmappedRule
		}
		r.Type, r.DayOfWeek = pim.RecurWeekly, days
	case "MONTHLY", "YEARLY":
		yearly := m["FREQ"] == "YEARLY"
		if yearly {
			if month == 0 {
				month = int(start.Month())
			}
			r.MonthOfYear = month
		} else if month != 0 {
			return nil, errUnmappedRule
		}
		switch {
		case days != 0:
			if ordinal == 0 || monthDay != 0 {
				return nil, errUnmappedRule
			}
			r.Type, r.DayOfWeek, r.WeekOfMonth = pim.RecurMonthlyNth, days, ordinal
			if yearly {
				r.Type = pim.RecurYearlyNth
			}
		default:
			if monthDay == 0 {
				monthDay = start.Day()
			}
			r.Type, r.DayOfMonth = pim.RecurMonthly, monthDay
			if yearly {
				r.Type = pim.RecurYearly
			}
		}
	default:
		return nil, errUnmappedRule
	}
	return r, nil
}

// rruleText writes r as an RRULE value.
func rruleText(r *pim.Recurrence) string {
	var b strings.Builder
	freq := map[int]string{pim.RecurDaily: "DAILY", pim.RecurWeekly: "WEEKLY", pim.RecurMonthly: "MONTHLY",
		pim.RecurMonthlyNth: "MONTHLY", pim.RecurYearly: "YEARLY", pim.RecurYearlyNth: "YEARLY"}[r.Type]
	if freq == "" {
		freq = "DAILY"
	}
	b.WriteString("FREQ=" + freq)
	if r.Interval > 1 {
		fmt.Fprintf(&b, ";INTERVAL=%d", r.Interval)
	}
	if r.Occurrences > 0 {
		fmt.Fprintf(&b, ";COUNT=%d", r.Occurrences)
	} else if r.Until != nil {
		b.WriteString(";UNTIL=" + r.Until.UTC().Format(utcLayout))
	}
	var days []string
	for i, bit := range dayBits {
		if r.DayOfWeek&bit != 0 {
			days = append(days, weekdays[i])
		}
	}
	switch r.Type {
	case pim.RecurWeekly:
		if len(days) > 0 {
			b.WriteString(";BYDAY=" + strings.Join(days, ","))
		}
	case pim.RecurMonthly, pim.RecurYearly:
		if r.Type == pim.RecurYearly && r.MonthOfYear > 0 {
			fmt.Fprintf(&b, ";BYMONTH=%d", r.MonthOfYear)
		}
		if r.DayOfMonth > 0 {
			fmt.Fprintf(&b, ";BYMONTHDAY=%d", r.DayOfMonth)
		}
	case pim.RecurMonthlyNth, pim.RecurYearlyNth:
		if r.Type == pim.RecurYearlyNth && r.MonthOfYear > 0 {
			fmt.Fprintf(&b, ";BYMONTH=%d", r.MonthOfYear)
		}
		n := r.WeekOfMonth
		if n >= 5 {
			n = -1
		}
		if len(days) > 0 {
			b.WriteString(";BYDAY=" + strings.Join(days, ","))
			fmt.Fprintf(&b, ";BYSETPOS=%d", n)
		}
	}
	if r.FirstDayOfWeek > 0 && r.FirstDayOfWeek < 7 {
		b.WriteString(";WKST=" + weekdays[r.FirstDayOfWeek])
	}
	return b.String()
}
