package store

import (
	"time"

	"gorm.io/gorm"
)

type m0002AuditEvent struct {
	ID       uint64    `gorm:"primaryKey"`
	At       time.Time `gorm:"not null;index"`
	Actor    string    `gorm:"type:varchar(191);not null"`
	Account  string    `gorm:"type:varchar(191);not null;index"`
	Action   string    `gorm:"type:varchar(64);not null;index"`
	Outcome  string    `gorm:"type:varchar(16);not null"`
	Reason   string    `gorm:"type:varchar(191);not null"`
	ClientIP string    `gorm:"type:varchar(64);not null"`
}

func (m0002AuditEvent) TableName() string { return "audit_events" }

type m0002RevokedToken struct {
	JTI       string    `gorm:"type:varchar(64);primaryKey"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

func (m0002RevokedToken) TableName() string { return "revoked_tokens" }

func migrate0002(tx *gorm.DB) error {
	return createTables(tx, &m0002AuditEvent{}, &m0002RevokedToken{})
}
