package store

import "gorm.io/gorm"

type m0008Item struct {
	Props string `gorm:"type:longtext"`
}

func (m0008Item) TableName() string { return "items" }

// 0008: contacts, events, tasks and notes keep their properties as JSON (eas/pim values).
func migrate0008(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&m0008Item{}, "Props")
}
