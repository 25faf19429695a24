package store

import (
	"time"

	"gorm.io/gorm"
)

type m0014Event struct {
	ID        uint64    `gorm:"primaryKey"`
	AccountID uint64    `gorm:"not null"`
	FolderID  uint64    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index"`
}

func (m0014Event) TableName() string { return "bus_events" }

// 0014: changes made by the CLI reach running servers through the database, Redis or not.
func migrate0014(tx *gorm.DB) error { return createTables(tx, &m0014Event{}) }
