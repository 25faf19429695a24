package store

import (
	"time"

	"gorm.io/gorm"
)

type m0033Item struct {
	FolderID   uint64    `gorm:"not null;index:idx_items_folder_arrival,priority:1"`
	ReceivedAt time.Time `gorm:"index:idx_items_folder_arrival,priority:2"`
	UID        uint32    `gorm:"column:uid;not null;index:idx_items_folder_arrival,priority:3"`
}

func (m0033Item) TableName() string { return "items" }

// 0033: a folder's items in arrival order (received_at, then UID). The EAS filter window
// (FilterType) moves along it: what leaves or enters a device's window as time passes or its
// FilterType changes is read as a range of this index, not by reading the whole folder.
func migrate0033(tx *gorm.DB) error {
	return tx.Migrator().CreateIndex(&m0033Item{}, "idx_items_folder_arrival")
}
