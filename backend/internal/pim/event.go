package pim

import "time"

// Event is an item of a Calendar folder (MS-ASCAL). Times are instants in
// UTC; an all-day event runs from midnight to midnight in its time zone, so
// Start is that midnight expressed in UTC.
type Event struct {
	Subject  string    `json:"subject,omitempty"`
	Location string    `json:"location,omitempty"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	AllDay   bool      `json:"allDay,omitempty"`
	// TimeZone is the Calendar:Timezone blob as the device sent it, and is
	// sent back unchanged when set; Zone is its parsed form. An event the
	// server builds may set only Zone; with neither, UTC is sent.
	TimeZone string    `json:"timeZone,omitempty"`
	Zone     *TimeZone `json:"zone,omitempty"`

	BusyStatus  int  `json:"busyStatus"`            // 0 free, 1 tentative, 2 busy, 3 out of office, 4 working elsewhere
	Sensitivity int  `json:"sensitivity,omitempty"` // 0 normal, 1 personal, 2 private, 3 confidential
	Reminder    *int `json:"reminder,omitempty"`    // minutes before Start

	OrganizerName  string `json:"organizerName,omitempty"`
	OrganizerEmail string `json:"organizerEmail,omitempty"`
	UID            string `json:"uid,omitempty"`
	// ClientUID is the 16.x client's id for an event it adds (it sends no
	// UID then); the server should keep it to spot a repeated Add.
	ClientUID string `json:"clientUid,omitempty"`
	// MeetingStatus: 0 appointment, 1 meeting organized by the user, 3 meeting
	// received, 5 and 7 the same canceled (+8: user is organizer's delegate).
	MeetingStatus           int        `json:"meetingStatus,omitempty"`
	ResponseRequested       bool       `json:"responseRequested,omitempty"`       // 14.0+
	ResponseType            int        `json:"responseType,omitempty"`            // 14.0+: 0 none, 1 organizer, 2 tentative, 3 accepted, 4 declined, 5 not responded
	DisallowNewTimeProposal bool       `json:"disallowNewTimeProposal,omitempty"` // 14.0+
	Attendees               []Attendee `json:"attendees,omitempty"`

	Recurrence *Recurrence `json:"recurrence,omitempty"`
	Exceptions []Exception `json:"exceptions,omitempty"`
	Categories []string    `json:"categories,omitempty"`
	Body       string      `json:"body,omitempty"`
	DtStamp    time.Time   `json:"dtStamp,omitzero"`
	// Sequence is the iCalendar SEQUENCE of a meeting received by iMIP: an organizer's update
	// applies only when its SEQUENCE is not lower.
	Sequence int `json:"sequence,omitempty"`
}

// Attendee is a meeting attendee; the organizer is not listed.
type Attendee struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Status int    `json:"status,omitempty"` // 0 unknown, 2 tentative, 3 accepted, 4 declined, 5 not responded
	Type   int    `json:"type,omitempty"`   // 1 required, 2 optional, 3 resource
}

// Summary is the event's subject.
func (e *Event) Summary() string { return e.Subject }
