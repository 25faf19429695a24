// Package eas is the Exchange ActiveSync server (MS-ASHTTP, MS-ASCMD): one HTTP handler that
// authenticates each request through package authn, reads its command, device and protocol
// version, and answers the command in WBXML (package wbxml) from the account's folders and
// items (package mailbox). Contacts, calendar, tasks and notes are converted by package pim.
//
// The protocol tests sit beside the commands, in the external test package eas_test (one file
// per command: provision_test.go, foldersync_test.go, sync_test.go, ping_test.go...). Each
// drives a whole Tessera (package app/apptest) as a phone would, on SQLite and MariaDB, through
// the harness of package eastest; the files of package eas itself test its parts alone.
//
// # Implementation notes
//
// These are the rules the code keeps that a reader of one command would not guess. Each names
// where it lives.
//
//   - Protocol versions (server.go, request.go): 12.1, 14.0, 14.1, 16.0 and 16.1. OPTIONS
//     advertises ProtocolVersions and the request parser accepts exactly that list (the
//     versions map is built from the same constant, so the two cannot disagree); a request
//     without MS-ASProtocolVersion is 12.1, any other version is 400. The base64 query form's
//     version byte is checked the same way.
//
//   - SyncKey retry (states.go, syncreplay.go, foldersync.go): a collection's SyncState keeps
//     the current key with its state and the previous key with its state. A device that lost an
//     answer sends the previous key again and gets that answer again, with the same SyncKey,
//     not a new one: Sync resends the same server changes (the items as they are now; one gone
//     since is left out and its Delete comes with the next Sync) and the same MoreAvailable,
//     and rewrites the state under the same key (states.keep); FolderSync answers the hierarchy
//     as the current state records it and saves nothing. Whatever changed in between waits for
//     the next request, so the state never claims the device holds what it never got. A
//     FolderSync with nothing new also keeps its key. Any other key is Sync Status 3 (with key
//     0) or FolderSync Status 9. Keys are "{counter}-{random}".
//
//   - What a device holds (collstate.go, engine.go): a collection's state is not a list of the
//     items the device has but a rule over the folder's IMAP UIDs (taken in creation order,
//     with the change number, under the folder row's lock) and arrival times, with three small
//     exception sets kept as roaring bitmaps: holds(X) = X in Extra, or X not in Not and
//     X.ReceivedAt >= Cut and (X.UID <= Mark or X in Pend). Mark moves only when a walk reaches
//     the end of the folder's changes (every item then existing was walked once). So a Sync,
//     an estimate or a Ping's look costs the changes it reads, and the state of a fully synced
//     folder of 100,000 messages is some 60 bytes. A state in the older list format (every
//     item id, "h") is converted when read (collstate_v1.go: one read of the folder's item
//     marks), and saved in the new format by the request's answer, so phones syncing before
//     the change go on without re-Adds. A device's own commands log what they did to the held
//     set (collState.log), so a retry does the same to the lost answer's state.
//
//   - The filter window (window.go): Cut is where a device's window starts, a position in the
//     folder's arrival order (received_at, then UID; index idx_items_folder_arrival). Before the
//     walk of changes, every Sync (and estimate) moves it to where the device's FilterType
//     starts now — after a FilterType change, and as time passes: an item it holds that is now
//     older is sent as <SoftDelete> (MS-ASCMD 2.2.3.162: the device drops its copy, the server
//     keeps the item, and its later delete is not sent), an item now inside that it lacks is
//     an Add (newest first), and nothing it has is added again. The move costs the items
//     between the two starts, pages of the window (a narrowing reads only the marks of items
//     the rule can hold: none for a phone that holds nothing yet); the walk of changes waits
//     until it is done (MoreAvailable). A window that stays where it was costs no query. A Sync without a FilterType keeps the state's (as Z-Push and
//     grommunio-sync do), so a phone that leaves out Options gets no widening to everything.
//     Z-Push's diff backend and grommunio-sync send such items as a plain Delete (grommunio's
//     ICS cannot tell why an item left); SoftDelete is what the protocol has for it.
//
//   - Loop detection (loop.go): a device's Change of one item that fails (Status 6), or an item
//     the server cannot encode (the Sync fails and is retried), counted per device, collection
//     and item in memory; the third failure in a row (each within 10 minutes) is a loop: the
//     Change gets Status 1 so the device drops it, or the item is left out of the answer (the
//     state counts it as sent). The loop is recorded on the device row (sync_loop, shown by the
//     admin API) and audited. One retry of the previous key is never a loop on its own. A
//     failing Add (same ClientId, same error text, in a row) is counted the same way; at the
//     loop it keeps Status 6 (MS-ASCMD: not transient, do not resend; Z-Push answers so too —
//     Status 1 would need a ServerId) and the loop is recorded and audited once, not at every
//     resend.
//
//   - ClientId de-duplication (sync.go clientAdd, sendmail.go): a Sync Add of a contact, event,
//     task or note records its ClientId → ServerId in the collection's state
//     (collState.Clients); a resent Add with a known ClientId gets the same ServerId and
//     creates nothing. A retry with the previous key first takes over the ClientIds of the lost
//     answer's state. SendMail, SmartReply and SmartForward keep the device's last 64 ClientIds
//     (the "_sent" state): a known one is Status 118 (previously sent) and nothing is sent; an
//     id is remembered only after its message was submitted.
//
//   - Held requests and revoked credentials (ping.go, sync.go, server.go revoked): a Ping, and
//     a Sync with Wait or HeartbeatInterval that found nothing, wait on the change notifier
//     (never polling); a Ping subscribes before its first look, so no change falls in between
//     (a Sync subscribes after its first pass, so a change in that gap waits for the Wait to
//     end). On an account-wide change (Change.FolderID 0: a credential, a device, the account,
//     the folder hierarchy) the request's grant is re-checked with authn's StillValid, which
//     hashes nothing; when it no longer holds, the request ends with 401 as a new one would
//     get. A database error keeps the request held (logged; the next change or request checks
//     again). A delivery into a folder does not re-check.
//
//   - The Ping registry's bounds (pingreg.go): one held Ping per account and device, a newer
//     one ends the older with Status 1 so the device pings again; at most Options.MaxPings held
//     at once (TESSERA_EAS_MAX_PINGS), past which a Ping gets 503 with Retry-After: 60;
//     Shutdown ends every held Ping with Status 1 so the HTTP server can drain. Each held Ping
//     hangs a callback on the registry's root context rather than a goroutine. A Sync with Wait
//     is not in the registry. Heartbeats outside the global settings' bounds are Ping Status 5
//     with the nearest allowed value, more than Options.MaxFolders folders Status 6.
//
//   - Parked Pings (pingpark.go): once a Ping must wait and the server knows its http.Server
//     (UseHTTPServer), it hijacks the connection, lets net/http and Gin return, and waits with
//     one goroutine in a one-byte read (hang-up) and no other: the heartbeat is a timer, the
//     registry's end a callback, changes come from the notifier's observer. The answer is
//     written as net/http would, then the connection waits for the next request (IdleTimeout)
//     and is served by the same http.Server again. About 25 KB per held Ping instead of 73 KB
//     (docs/performance.md, "Held connections").
//
//   - Publishing after the commit: transactions live in package store only, and a service
//     (mailbox, admin, devices) publishes a Change once the store call that made it has
//     returned, its transaction committed, so a woken Ping or Sync that reads the store finds
//     the change; a failed write publishes nothing. The notifier (mailbox/notify.go) never
//     blocks a publisher: a subscriber whose channel (8 changes) is full misses the change.
//     Observers (the caches) hear of a change before any waiter. Changes reach other instances
//     over Redis, and from the CLI through the database (package bus).
//
//   - Bodies (body.go): a request body may be gzip (Content-Encoding gzip or x-gzip); the 16
//     MiB limit (maxBody) applies to the bytes as they arrive and again after decompression, so
//     a gzip bomb stops at it. Over the limit is 413, corrupt gzip 400, another encoding 415.
//     The body is read only after authentication, the device and the provisioning check.
//     Answers of 1 KiB or more are gzipped when Accept-Encoding allows it; short status answers
//     never are.
//
//   - Settings (settings.go) encodes its whole answer before it writes anything
//     (DeviceInformation Set, Oof Set): a change must not be saved when the answer that reports
//     it cannot be sent.
//
//   - Throttling per device (package authn, server.go authenticate): the DeviceId is read from
//     the query before authentication, so a device's failed logins count on its own counter
//     besides the address's, and a device that opened the account with its password before is
//     not locked out by guesses at the account from elsewhere. A throttled request gets 503
//     with Retry-After (the longer of the address's and the device's wait), not 401: phones
//     retry a 401 at once and may prompt for the password.
//
//   - Device access (access.go, quarantine.go, package device): after the device is touched and
//     before provisioning, a blocked device gets common Status 129 (HTTP 403 before 14.0) and a
//     suspended one 503 with Retry-After; nothing of their SyncStates changes. A quarantined
//     device's commands are wrapped: FolderSync, Sync, GetItemEstimate and Ping see one Inbox
//     with one generated notice under fixed keys that no SyncState holds, so approval needs no
//     state change here — the next FolderSync meets an unknown key (Status 9) and starts over.
//     A pending remote wipe comes first: a blocked or suspended device is still sent to
//     Provision so that a lost phone can be blocked and wiped.
//
//   - Remote wipe (wipe.go, provision.go, package device): a wipe has a scope, the whole device
//     (RemoteWipe) or this account's data only (AccountOnlyRemoteWipe, 16.1; package device
//     refuses it for a device that last spoke an older version). While one is pending every
//     command but Provision answers Status 140 (449 before 14.0) and Provision answers the
//     directive of its scope with no policy; only an acknowledgement with the same element and
//     Status 1 records it as done. An acknowledgement never starts a wipe: with none pending it
//     is answered Status 1 alone.
//
//   - EmptyFolderContents (emptyfolder.go, mailbox.EmptyFolder, store.DeleteFolderItems): any
//     folder of the account may be emptied (MS-ASCMD limits no folder type). The items become
//     tombstones in batches, each with its own change number, so the emptying device's next
//     Sync gets a Delete per item like every other device, and IMAP sessions their EXPUNGEs;
//     no SyncState is touched here. DeleteSubFolders deletes the non-default subfolders
//     (FolderDelete's rule) and the device hears of them at its next FolderSync. An unknown or
//     another account's CollectionId is Status 6, a missing one 2.
//
//   - Drafts (draft.go, mailbox.BuildDraft/ReadDraft; 16.0 and later only, hooked into Sync's
//     Add and Change of the Drafts folder): the device's fields and attachments become a real
//     MIME message. A Change stores a new item and deletes the old (an IMAP message never
//     changes under its UID), and leaves the state alone so that the same answer's server
//     changes carry the Delete of the old ServerId and the Add of the new; an Add is held by
//     the device (deviceAdded) like any Add of its own. A FileReference is "{item}:{index}",
//     and the draft is built with its attachments in order after the bodies, so the index the
//     answer reports is the one Parse and AttachmentData count. email2:Send submits through
//     the same Sender as SendMail, then deletes the draft.
//
//   - MeetingResponse (meeting.go, package imip): the calendar item comes from the
//     invitation's iCalendar through package dav's mapping (RRULE, EXDATE, RECURRENCE-ID), and
//     the reply to the organizer is sent only from 16.0 and only with SendResponse
//     (MS-ASCMD 2.2.1.11: before 16.0 the client sends it). From 16.0 an InstanceId answers
//     one occurrence (imip occurrence.go: an exception, the series unanswered if it was not in
//     the calendar; the reply has the RECURRENCE-ID). Organizer updates and cancellations are
//     not EAS's: they are applied at delivery (mailbox.OnDeliver); a cancellation in the Inbox
//     is IPM.Schedule.Meeting.Canceled (emaildata.go), so an invitation never answered, which
//     has no calendar item, still shows as cancelled.
package eas
