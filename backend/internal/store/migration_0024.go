package store

import "gorm.io/gorm"

type m0024Device struct {
	SyncLoop string `gorm:"column:sync_loop;type:varchar(1000);not null;default:''"`
}

func (m0024Device) TableName() string { return "devices" }

// 0024: EAS loop detection. A device remembers the last sync loop the server broke (JSON of
// collection, item, count and time; "" when none), so an admin sees which item was skipped.
func migrate0024(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&m0024Device{}, "SyncLoop")
}
