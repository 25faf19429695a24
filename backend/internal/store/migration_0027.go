package store

import (
	"time"

	"gorm.io/gorm"
)

// m0027TrustedBrowser is trusted_browsers as 0027 created it.
type m0027TrustedBrowser struct {
	ID         uint64    `gorm:"primaryKey;autoIncrement"`
	AccountID  uint64    `gorm:"not null;index"`
	TokenHash  string    `gorm:"type:varchar(64);not null;uniqueIndex"`
	IP         string    `gorm:"column:ip;type:varchar(64);not null;default:''"`
	UserAgent  string    `gorm:"type:varchar(512);not null;default:''"`
	CreatedAt  time.Time `gorm:"not null"`
	LastUsedAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
}

func (m0027TrustedBrowser) TableName() string { return "trusted_browsers" }

type m0027GlobalSettings struct {
	TrustedBrowserDays int `gorm:"not null;default:30"`
}

func (m0027GlobalSettings) TableName() string { return "global_settings" }

type m0027Domain struct{ TrustedBrowserDays *int }

func (m0027Domain) TableName() string { return "domains" }

type m0027COS struct{ TrustedBrowserDays *int }

func (m0027COS) TableName() string { return "cos" }

// 0027: trusted browsers ("remember this browser"): one row per remembered browser holding
// the hash of its cookie's token, and how many days a browser is remembered at each level
// (global 30; domain and COS NULL, which inherits).
func migrate0027(tx *gorm.DB) error {
	m := tx.Migrator()
	if err := m.CreateTable(&m0027TrustedBrowser{}); err != nil {
		return err
	}
	for _, t := range []any{&m0027GlobalSettings{}, &m0027Domain{}, &m0027COS{}} {
		if err := m.AddColumn(t, "TrustedBrowserDays"); err != nil {
			return err
		}
	}
	return nil
}
