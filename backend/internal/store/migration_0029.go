package store

import (
	"time"

	"gorm.io/gorm"
)

type m0029Device struct {
	WipeScope       string     `gorm:"column:wipe_scope;type:varchar(16);not null;default:''"`
	WipeRequestedAt *time.Time `gorm:"column:wipe_requested_at"`
	WipeDoneAt      *time.Time `gorm:"column:wipe_done_at"`
}

func (m0029Device) TableName() string { return "devices" }

// 0029: account-only remote wipe (EAS 16.1). A wipe has a scope — the whole device, or only
// this account's data on it — and the times it was requested and acknowledged. A wipe asked
// for before this migration could only be a whole-device one, so its scope becomes "device"
// (its times are unknown and stay empty).
func migrate0029(tx *gorm.DB) error {
	for _, col := range []string{"WipeScope", "WipeRequestedAt", "WipeDoneAt"} {
		if err := tx.Migrator().AddColumn(&m0029Device{}, col); err != nil {
			return err
		}
	}
	return tx.Exec("UPDATE devices SET wipe_scope = 'device' WHERE wipe_state <> ''").Error
}
