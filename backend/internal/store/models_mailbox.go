package store

import "time"

// Folder is a mailbox folder of an account; its ID is the EAS ServerId.
type Folder struct {
	ID          uint64 `gorm:"primaryKey"`
	AccountID   uint64 `gorm:"not null"`
	ParentID    uint64 `gorm:"not null"`
	DisplayName string `gorm:"type:varchar(191);not null"`
	Type        int    `gorm:"not null"`
	Class       string `gorm:"type:varchar(16);not null"`
	// LastSeq is the folder's change sequence: every add, change or delete of one of its items
	// takes the next number, and SyncStates remember how far a device has seen.
	LastSeq int64
	// UIDValidity and UIDNext serve IMAP (RFC 3501 2.3.1.1): UIDValidity is the folder's id
	// (a folder made again under an old name gets a new one), UIDNext the UID the next item
	// added, moved or copied here takes.
	UIDValidity uint32 `gorm:"column:uid_validity;not null"`
	UIDNext     uint32 `gorm:"column:uid_next;not null"`
	// DAVName is the URL segment a CalDAV/CardDAV client made the folder at (MKCALENDAR at
	// /<uuid>/ with another display name); "" for folders made otherwise.
	DAVName   string `gorm:"column:dav_name;type:varchar(191);not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Item is a message (later: contact, event, task, note) in a folder. A deleted item stays as
// a tombstone with a new ModSeq until devices have seen the delete.
type Item struct {
	ID          uint64 `gorm:"primaryKey"`
	AccountID   uint64 `gorm:"not null"`
	FolderID    uint64 `gorm:"not null"`
	ModSeq      int64  `gorm:"not null"`
	Deleted     bool   `gorm:"not null"`
	Class       string `gorm:"type:varchar(16);not null"`
	ReceivedAt  time.Time
	MessageID   string `gorm:"type:varchar(191);not null"`
	FromAddr    string `gorm:"type:varchar(191);not null"`
	ToAddr      string
	CcAddr      string
	Subject     string
	Importance  int
	Read        bool
	Flagged     bool
	BodyText    string
	BodyHTML    string
	MIME        []byte `gorm:"column:mime;serializer:mime"` // raw; stored deflated (mimecodec.go)
	Size        int64
	Attachments string
	// Props holds a contact's, event's, task's or note's properties as JSON.
	Props string
	// UID is the item's IMAP UID in its folder, taken from the folder's UIDNext in the
	// transaction that puts the item there. IMAPFlags are the IMAP flags EAS has no field for
	// (\Answered, \Draft, \Deleted and keywords), space-separated; \Seen is Read and
	// \Flagged is Flagged.
	UID       uint32 `gorm:"column:uid;not null"`
	IMAPFlags string `gorm:"column:imap_flags;type:varchar(1000);not null"`
	// DAVName is the resource name a CalDAV/CardDAV client PUT the item under, indexed with
	// FolderID so that a PUT finds its name without reading the folder; "" when the client
	// chose none (the name is "<id>.ics"/"<id>.vcf") or it is longer than MaxDAVName.
	DAVName   string `gorm:"column:dav_name;type:varchar(191);not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Device is an EAS device of an account.
type Device struct {
	ID              uint64 `gorm:"primaryKey"`
	AccountID       uint64 `gorm:"not null"`
	DeviceID        string `gorm:"type:varchar(64);not null"`
	DeviceType      string `gorm:"type:varchar(64);not null"`
	UserAgent       string `gorm:"type:varchar(191);not null"`
	ProtocolVersion string `gorm:"type:varchar(8);not null"`
	PolicyKey       string `gorm:"type:varchar(16);not null"` // acknowledged key; "" until provisioned
	PendingKey      string `gorm:"type:varchar(16);not null"` // temporary key of an unfinished Provision
	Model           string `gorm:"type:varchar(191);not null"`
	FriendlyName    string `gorm:"type:varchar(191);not null"`
	OS              string `gorm:"type:varchar(191);not null"`
	WipeState       string `gorm:"type:varchar(16);not null"` // "", requested, wiped
	FirstSyncAt     time.Time
	LastSyncAt      time.Time

	// Device access (migration 0022). Access is allowed, quarantined or blocked ("": allowed,
	// a device known before access control); AccessBy says what decided it: default (the
	// level's setting), rule, or admin (an explicit decision, which rules never change).
	Access        string `gorm:"type:varchar(16);not null;default:''"`
	AccessBy      string `gorm:"type:varchar(16);not null;default:''"`
	AccessNoticed bool   `gorm:"not null;default:false"` // the user got the quarantine notice
	Suspended     bool   `gorm:"not null;default:false"` // sync paused by an admin; SyncStates kept

	// SyncLoop (migration 0024) is the last sync loop the EAS server broke for this device, as
	// JSON (package device reads it); "" when none.
	SyncLoop string `gorm:"type:varchar(1000);not null;default:''"`
	// NewDeviceNoticed (migration 0028): the account's owner got the "new device" security notice.
	NewDeviceNoticed bool `gorm:"not null;default:false"`

	// Remote wipe (migration 0029): WipeState says where it is, WipeScope what it removes —
	// the whole device, or (EAS 16.1 AccountOnlyRemoteWipe) only this account's data on it —,
	// with when it was requested and when the device acknowledged it (nil: not yet, or unknown).
	WipeScope       string `gorm:"type:varchar(16);not null;default:''"`
	WipeRequestedAt *time.Time
	WipeDoneAt      *time.Time
}

// DeviceRule decides the access of new devices by what they say of themselves; rules of the
// account's domain come before the global ones (DomainID nil), each list by Position.
type DeviceRule struct {
	ID        uint64  `gorm:"primaryKey"`
	DomainID  *uint64 `gorm:"index"`
	Position  int     `gorm:"not null"`
	Field     string  `gorm:"type:varchar(16);not null"`  // deviceType, model, os, userAgent
	Pattern   string  `gorm:"type:varchar(191);not null"` // exact, or with * wildcards
	Action    string  `gorm:"type:varchar(16);not null"`  // allowed, quarantined, blocked
	CreatedAt time.Time
}

// SyncState is what a device knows of one collection (the folder hierarchy counts as one):
// the current key and state, and the previous ones so a retried request can be answered again.
type SyncState struct {
	ID           uint64 `gorm:"primaryKey"`
	DeviceID     uint64 `gorm:"not null"`
	CollectionID string `gorm:"type:varchar(64);not null"`
	SyncKey      string `gorm:"type:varchar(64);not null"`
	State        []byte
	PrevKey      string `gorm:"type:varchar(64);not null"`
	PrevState    []byte
	UpdatedAt    time.Time
}

// Wipe states of a device.
const (
	WipeNone      = ""
	WipeRequested = "requested"
	WipeDone      = "wiped"
)

// Wipe scopes of a device: everything on it, or only this account's data (EAS 16.1).
const (
	WipeScopeDevice  = "device"
	WipeScopeAccount = "account"
)
