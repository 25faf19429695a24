package store

import (
	"time"

	"gorm.io/gorm"
)

// m0026PasskeyKey is passkey_keys as 0026 created it.
type m0026PasskeyKey struct {
	ID             uint64    `gorm:"primaryKey;autoIncrement"`
	CredentialID   uint64    `gorm:"not null;uniqueIndex"`
	AccountID      uint64    `gorm:"not null;index"`
	KeyIDHash      string    `gorm:"type:varchar(64);not null;uniqueIndex"`
	KeyID          string    `gorm:"type:text;not null"`
	PublicKey      string    `gorm:"type:text;not null"`
	AAGUID         string    `gorm:"column:aaguid;type:varchar(36);not null;default:''"`
	SignCount      uint32    `gorm:"not null;default:0"`
	BackupEligible bool      `gorm:"not null;default:false"`
	BackupState    bool      `gorm:"not null;default:false"`
	UserVerified   bool      `gorm:"not null;default:false"`
	Transports     string    `gorm:"type:varchar(191);not null;default:''"`
	AttestationFmt string    `gorm:"type:varchar(32);not null;default:''"`
	Uses           uint64    `gorm:"not null;default:0"`
	CreatedAt      time.Time `gorm:"not null"`
}

func (m0026PasskeyKey) TableName() string { return "passkey_keys" }

// m0026PasskeyCeremony is passkey_ceremonies as 0026 created it.
type m0026PasskeyCeremony struct {
	ID        string    `gorm:"type:varchar(64);primaryKey"`
	AccountID uint64    `gorm:"not null;default:0"`
	Purpose   string    `gorm:"type:varchar(16);not null"`
	Session   string    `gorm:"type:text;not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

func (m0026PasskeyCeremony) TableName() string { return "passkey_ceremonies" }

type m0026GlobalSettings struct {
	PasskeyLogin bool `gorm:"not null;default:true"`
}

func (m0026GlobalSettings) TableName() string { return "global_settings" }

type m0026Domain struct{ PasskeyLogin *bool }

func (m0026Domain) TableName() string { return "domains" }

type m0026COS struct{ PasskeyLogin *bool }

func (m0026COS) TableName() string { return "cos" }

// 0026: passkeys. A passkey is a credentials row of kind passkey (label, status, dates) with
// its public key, sign counter and flags in passkey_keys; the ceremonies in flight (a
// challenge and what it was for) are rows too, so that any instance can finish what another
// began. Passwordless sign-in is on globally (the default) and inherited by domains and COS.
func migrate0026(tx *gorm.DB) error {
	if err := createTables(tx, &m0026PasskeyKey{}, &m0026PasskeyCeremony{}); err != nil {
		return err
	}
	m := tx.Migrator()
	for _, t := range []any{&m0026GlobalSettings{}, &m0026Domain{}, &m0026COS{}} {
		if err := m.AddColumn(t, "PasskeyLogin"); err != nil {
			return err
		}
	}
	return nil
}
