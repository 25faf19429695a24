// Package dav serves CalDAV (RFC 4791) and CardDAV (RFC 6352) under /dav/ over the same store
// as EAS: an account's Calendar and Tasks folders are calendars (VEVENT and VTODO), its
// Contacts folders are address books. It is a thin layer over mailbox (folders, items, the
// change sequence, change notices) and authn (HTTP Basic with the services caldav/carddav);
// emersion/go-webdav does PROPFIND, PUT/GET and the query and multiget REPORTs, this package
// does what v0.6.0 lacks: the principal, MKCALENDAR, collection DELETE, sync-collection
// (RFC 6578) and the sync-token/getctag properties.
//
// The model (pim.Event, pim.Task, pim.Contact: the JSON of an item's Props) is the domain
// package backend/internal/pim, which eas/pim's WBXML codec uses too; no arrow runs from here
// into eas.
//
// Implementation notes (invariants):
//
//   - URLs: /dav/principals/<email>/, /dav/calendars/<email>/<folder>/<name>.ics,
//     /dav/addressbooks/<email>/<folder>/<name>.vcf. <email> must be the authenticated
//     account's address; anything else is 404, so no request ever sees another account's
//     data or learns whether it exists. <folder> is, in this order, the URL segment a client
//     made the collection at (MKCALENDAR/MKCOL keep it as the folder's DAVName, so Apple
//     Calendar's, DAVx5's and python-caldav's /<uuid>/ with displayname "Work" keeps
//     answering), the folder's id, or its display name (case-insensitive). A collection's own
//     href is that segment, else its id. When the body gives no display name, the folder is
//     named after the segment.
//   - Notes folders stay EAS-only: no DAV standard carries them (VJOURNAL is not what any
//     notes client syncs).
//   - Object names are stable: the name a client PUT is kept in Props ("dav":{"name":...})
//     and in the item's indexed DAVName (mailbox.AddDAVItem/UpdateDAVItem), so GET, PUT and
//     DELETE find it by one lookup (mailbox.ItemByDAVName), not by reading the folder; an item
//     made over EAS is "<id>.ics" / "<id>.vcf", read by its id. Migration 0017 copied the names
//     of items stored before it. ETags are "<id>-<modseq>": every
//     change (from any door) takes a new ModSeq, so a stale If-Match gets 412 and nothing
//     is overwritten; If-None-Match: * on an existing name is 412 too.
//   - What the model cannot carry is kept: the client's iCalendar/vCard text is stored in
//     Props ("dav":{"raw":...}); answers are built from the model (what EAS may have
//     changed) and the raw text's properties the mapping does not know are merged back. EAS
//     keeps the "dav" key when a device changes the item (eas.keepDAV). E-mail addresses, IM
//     addresses and phone numbers that found no EAS slot (a fourth address, a third mobile
//     number) are added back from the raw text (merge.go keepUnslotted); one that had a slot
//     and was deleted on the phone is not.
//   - An invitation, update or cancellation received by mail (package imip) is mapped by the
//     same eventFromICal (invite.go EventFromScheduling), its text kept as "raw" without
//     METHOD, so CalDAV shows the organizer's RRULE, EXDATEs, overrides and SEQUENCE.
//   - The sync-token of a collection is its folder's change sequence (LastSeq); tombstones
//     give the deleted hrefs. A token of another folder, or beyond the folder's sequence (a
//     reset store), is refused with 403 DAV:valid-sync-token, so the client starts over.
//   - Every change goes through mailbox (AddPIM, UpdatePIM, Delete, CreateFolder,
//     DeleteFolder), which publishes a mailbox.Change: held EAS Pings wake, other instances
//     hear of it through the bus.
//   - Bodies are bounded (MaxBody); a malformed or unmappable iCalendar/vCard is 400 with the
//     reason, and nothing is stored. Internal errors are 500 without detail (logged).
//   - Authentication failures are a generic 401 with a Basic challenge; throttling is 503
//     with Retry-After.
//
// Known limits:
//
//   - A name longer than 191 bytes (mailbox.MaxDAVName; clients use uuids of ~40) is not kept
//     as DAVName: such an object is found by reading the folder's items, and such a
//     collection segment is not kept (the folder is found by id or display name).
//   - A PUT checks its preconditions, then writes: two writers racing inside that window are
//     not told apart (ModSeq still changes, so the loser's next If-Match fails), and two
//     racing PUTs of a new name may both add an item (the name is indexed, not unique).
//   - A PUT answers with the new ETag although the stored text is re-rendered (RFC 7231 would
//     leave it out); what a client reads back is equivalent, not byte-equal.
//   - go-webdav renders REPORT answers (multiget, query) with go-vcard, which escapes the comma
//     of a 4.0 PHOTO data: URI; GET is answered here without that, and 3.0 cards (the default)
//     are not affected.
package dav
