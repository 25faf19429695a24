package store

import (
	"time"

	"gorm.io/gorm"
)

// m0025WebSession is web_sessions as 0025 created it.
type m0025WebSession struct {
	ID           uint64     `gorm:"primaryKey;autoIncrement"`
	AccountID    uint64     `gorm:"not null;index"`
	JTI          string     `gorm:"column:jti;type:varchar(64);not null;uniqueIndex"`
	TokenVersion uint64     `gorm:"not null;default:0"`
	CreatedAt    time.Time  `gorm:"not null"`
	LastSeenAt   time.Time  `gorm:"not null"`
	ExpiresAt    time.Time  `gorm:"not null;index"`
	IP           string     `gorm:"column:ip;type:varchar(64);not null;default:''"`
	UserAgent    string     `gorm:"type:varchar(512);not null;default:''"`
	RevokedAt    *time.Time `gorm:"index"`
}

func (m0025WebSession) TableName() string { return "web_sessions" }

// 0025: web sessions become rows ("where I am signed in"), one per login, keyed by the token
// id the revocation list already uses. Sessions issued before the upgrade have no row: they
// keep working and simply are not listed.
func migrate0025(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&m0025WebSession{})
}
