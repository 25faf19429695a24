package store

import "gorm.io/gorm"

type m0007COS struct {
	EASEnabled bool `gorm:"not null;default:true"`
}

func (m0007COS) TableName() string { return "cos" }

// 0007: a class of service may turn Exchange ActiveSync off for its accounts (HTTP 403).
func migrate0007(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&m0007COS{}, "EASEnabled")
}
