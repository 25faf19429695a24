package pim

// Folder classes, as AirSync:Class and the FolderSync types name them.
const (
	ClassContacts = "Contacts"
	ClassCalendar = "Calendar"
	ClassTasks    = "Tasks"
	ClassNotes    = "Notes"
)
