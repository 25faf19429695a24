package pim

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse("20060102T150405Z", s)
	if err != nil {
		panic(err)
	}
	return t
}

// An absolute SYSTEMTIME (wYear set) names a date, not a weekday rule.
func TestAbsoluteRule(t *testing.T) {
	st := SystemTime{Year: 2026, Month: 4, Day: 5, Hour: 3}
	if got := st.in(2026); !got.Equal(utc("20260405T030000Z")) {
		t.Fatalf("got %v", got)
	}
}
