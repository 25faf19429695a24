// Package imip is calendar scheduling by mail (iTIP over iMIP, RFC 5546 and RFC 6047) for the
// account's own calendar: answering an invitation (the calendar item, and the METHOD:REPLY to
// the organizer through the account's outgoing path), and applying what arrives by delivery —
// an organizer's update (METHOD:REQUEST with a SEQUENCE not lower than the stored one) or
// cancellation (METHOD:CANCEL, of the meeting or of occurrences), and an attendee's REPLY to a
// meeting the account organizes.
//
// The invitation's VEVENT is mapped by package dav, the same mapping as a CalDAV PUT: RRULE,
// EXDATE and overridden occurrences (RECURRENCE-ID) become the event's recurrence and
// exceptions, and the text is kept for what the model cannot carry. An answer can be for one
// occurrence of a series (occurrence.go): an exception carries it, and the reply has that
// occurrence's RECURRENCE-ID. Delivery changes only items that already exist (an invitation
// is answered by the user first, as a whole or for an occurrence), and only when the message
// comes from the stored organizer (REQUEST, CANCEL) or a listed attendee (REPLY).
package imip
