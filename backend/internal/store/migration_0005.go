package store

import (
	"time"

	"gorm.io/gorm"
)

type m0005Folder struct {
	ID          uint64 `gorm:"primaryKey"`
	AccountID   uint64 `gorm:"not null;index"`
	ParentID    uint64 `gorm:"not null"` // 0: top level
	DisplayName string `gorm:"type:varchar(191);not null"`
	Type        int    `gorm:"not null"` // MS-ASCMD FolderSync folder type
	Class       string `gorm:"type:varchar(16);not null"`
	LastSeq     int64  `gorm:"not null"` // the folder's change sequence
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (m0005Folder) TableName() string { return "folders" }

type m0005Item struct {
	ID          uint64    `gorm:"primaryKey"`
	AccountID   uint64    `gorm:"not null;index"`
	FolderID    uint64    `gorm:"not null;index:idx_items_folder_seq,priority:1"`
	ModSeq      int64     `gorm:"not null;index:idx_items_folder_seq,priority:2"`
	Deleted     bool      `gorm:"not null"`
	Class       string    `gorm:"type:varchar(16);not null"`
	ReceivedAt  time.Time `gorm:"not null"`
	MessageID   string    `gorm:"type:varchar(191);not null"`
	FromAddr    string    `gorm:"type:varchar(191);not null"`
	ToAddr      string    `gorm:"type:text"`
	CcAddr      string    `gorm:"type:text"`
	Subject     string    `gorm:"type:text"`
	Importance  int       `gorm:"not null"`
	Read        bool      `gorm:"not null"`
	Flagged     bool      `gorm:"not null"`
	BodyText    string    `gorm:"type:longtext"`
	BodyHTML    string    `gorm:"type:longtext"`
	MIME        []byte    `gorm:"type:longblob"`
	Size        int64     `gorm:"not null"`
	Attachments string    `gorm:"type:text"` // JSON metadata
	CreatedAt   time.Time `gorm:"not null"`
	UpdatedAt   time.Time `gorm:"not null"`
}

func (m0005Item) TableName() string { return "items" }

type m0005Device struct {
	ID              uint64    `gorm:"primaryKey"`
	AccountID       uint64    `gorm:"not null;uniqueIndex:idx_devices_account_device,priority:1"`
	DeviceID        string    `gorm:"type:varchar(64);not null;uniqueIndex:idx_devices_account_device,priority:2"`
	DeviceType      string    `gorm:"type:varchar(64);not null"`
	UserAgent       string    `gorm:"type:varchar(191);not null"`
	ProtocolVersion string    `gorm:"type:varchar(8);not null"`
	PolicyKey       string    `gorm:"type:varchar(16);not null"`
	PendingKey      string    `gorm:"type:varchar(16);not null"`
	Model           string    `gorm:"type:varchar(191);not null"`
	FriendlyName    string    `gorm:"type:varchar(191);not null"`
	OS              string    `gorm:"type:varchar(191);not null"`
	WipeState       string    `gorm:"type:varchar(16);not null"`
	FirstSyncAt     time.Time `gorm:"not null"`
	LastSyncAt      time.Time `gorm:"not null"`
}

func (m0005Device) TableName() string { return "devices" }

type m0005SyncState struct {
	ID           uint64    `gorm:"primaryKey"`
	DeviceID     uint64    `gorm:"not null;uniqueIndex:idx_sync_states_collection,priority:1"`
	CollectionID string    `gorm:"type:varchar(64);not null;uniqueIndex:idx_sync_states_collection,priority:2"`
	SyncKey      string    `gorm:"type:varchar(64);not null"`
	State        []byte    `gorm:"type:longblob"`
	PrevKey      string    `gorm:"type:varchar(64);not null"`
	PrevState    []byte    `gorm:"type:longblob"`
	UpdatedAt    time.Time `gorm:"not null"`
}

func (m0005SyncState) TableName() string { return "sync_states" }

// 0005: the mailbox (folders, items with a per-folder change sequence) and EAS devices with
// their SyncStates (current and previous key per collection).
func migrate0005(tx *gorm.DB) error {
	return createTables(tx, &m0005Folder{}, &m0005Item{}, &m0005Device{}, &m0005SyncState{})
}
