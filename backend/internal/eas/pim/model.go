package pim

import (
	"time"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// The model lives in package pim (backend/internal/pim), shared with CalDAV/CardDAV; these
// aliases keep the codec's callers unchanged.
type (
	Contact        = pim.Contact
	Address        = pim.Address
	Event          = pim.Event
	Attendee       = pim.Attendee
	Exception      = pim.Exception
	Recurrence     = pim.Recurrence
	TaskRecurrence = pim.TaskRecurrence
	Task           = pim.Task
	Note           = pim.Note
	TimeZone       = pim.TimeZone
	SystemTime     = pim.SystemTime
)

// Folder classes, recurrence types and weekday bits of the model.
const (
	ClassContacts = pim.ClassContacts
	ClassCalendar = pim.ClassCalendar
	ClassTasks    = pim.ClassTasks
	ClassNotes    = pim.ClassNotes

	RecurDaily      = pim.RecurDaily
	RecurWeekly     = pim.RecurWeekly
	RecurMonthly    = pim.RecurMonthly
	RecurMonthlyNth = pim.RecurMonthlyNth
	RecurYearly     = pim.RecurYearly
	RecurYearlyNth  = pim.RecurYearlyNth

	Sunday         = pim.Sunday
	Monday         = pim.Monday
	Tuesday        = pim.Tuesday
	Wednesday      = pim.Wednesday
	Thursday       = pim.Thursday
	Friday         = pim.Friday
	Saturday       = pim.Saturday
	LastDayOfMonth = pim.LastDayOfMonth
)

// ParseTimeZone reads a Calendar:Timezone blob (see pim.ParseTimeZone).
func ParseTimeZone(blob string) (*TimeZone, error) { return pim.ParseTimeZone(blob) }

// UTCTimeZone is the zone sent for "no zone".
func UTCTimeZone() *TimeZone { return pim.UTCTimeZone() }

// ZoneFromLocation builds the EAS zone of an IANA location for a year.
func ZoneFromLocation(loc *time.Location, year int) *TimeZone { return pim.ZoneFromLocation(loc, year) }
