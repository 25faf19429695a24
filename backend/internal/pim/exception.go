package pim

import "time"

// Exception changes or deletes one occurrence of a recurring event. Nil
// fields take the series' value; a nil Categories or Attendees inherits,
// an empty non-nil one clears.
type Exception struct {
	// ExceptionStartTime is the original start of the occurrence: the
	// Calendar:ExceptionStartTime of 12.1-14.1 and the AirSyncBase:InstanceId
	// of 16.x.
	ExceptionStartTime time.Time  `json:"exceptionStartTime"`
	Deleted            bool       `json:"deleted,omitempty"`
	Subject            *string    `json:"subject,omitempty"`
	Location           *string    `json:"location,omitempty"`
	Start              *time.Time `json:"start,omitempty"`
	End                *time.Time `json:"end,omitempty"`
	AllDay             *bool      `json:"allDay,omitempty"`
	BusyStatus         *int       `json:"busyStatus,omitempty"`
	Sensitivity        *int       `json:"sensitivity,omitempty"`
	Reminder           *int       `json:"reminder,omitempty"`
	MeetingStatus      *int       `json:"meetingStatus,omitempty"`
	Body               *string    `json:"body,omitempty"`
	DtStamp            *time.Time `json:"dtStamp,omitempty"`
	// Without omitempty, JSON keeps nil (inherit) apart from [] (cleared).
	Categories []string   `json:"categories"`
	Attendees  []Attendee `json:"attendees"`
}
