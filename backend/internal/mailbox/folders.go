package mailbox

// Folder types of MS-ASCMD FolderSync.
const (
	TypeUserGeneric  = 1
	TypeInbox        = 2
	TypeDrafts       = 3
	TypeDeletedItems = 4
	TypeSentItems    = 5
	TypeOutbox       = 6
	TypeTasks        = 7
	TypeCalendar     = 8
	TypeContacts     = 9
	TypeNotes        = 10
	TypeUserMail     = 12
)

// Item classes.
const (
	ClassEmail    = "Email"
	ClassCalendar = "Calendar"
	ClassContacts = "Contacts"
	ClassTasks    = "Tasks"
	ClassNotes    = "Notes"
)

type defaultFolder struct {
	Name  string
	Type  int
	Class string
}

// defaults every account has; they cannot be renamed or deleted.
var defaults = []defaultFolder{
	{"Inbox", TypeInbox, ClassEmail},
	{"Drafts", TypeDrafts, ClassEmail},
	{"Deleted Items", TypeDeletedItems, ClassEmail},
	{"Sent Items", TypeSentItems, ClassEmail},
	{"Outbox", TypeOutbox, ClassEmail},
	{"Calendar", TypeCalendar, ClassCalendar},
	{"Contacts", TypeContacts, ClassContacts},
	{"Tasks", TypeTasks, ClassTasks},
	{"Notes", TypeNotes, ClassNotes},
}

// IsDefaultType reports whether a folder type is one of the protected default folders.
// User folders are the generic and mail types and the user calendar, contacts, tasks, journal
// and notes types (13–17) that FolderCreate and CalDAV/CardDAV make.
func IsDefaultType(t int) bool {
	switch t {
	case TypeUserGeneric, TypeUserMail, 13, 14, 15, 16, 17:
		return false
	}
	return true
}
