package store

import "gorm.io/gorm"

// The limits a class of service may override; NULL inherits the global value.
type m0011COS struct {
	MaxCredentialsPerKind *int
	PinCodesPerEntry      *int
}

func (m0011COS) TableName() string { return "cos" }

// The defaults equal config.Default(); the server replaces the heartbeat bounds and the session
// lifetime with its TESSERA_* values when it applies this migration (app.Open).
type m0011GlobalSettings struct {
	PinCodesPerEntry        int `gorm:"not null;default:10"`
	EASHeartbeatMinSeconds  int `gorm:"not null;default:60"`
	EASHeartbeatMaxSeconds  int `gorm:"not null;default:3540"`
	EASMaxDevicesPerAccount int `gorm:"not null;default:20"`
	SessionLifetimeMinutes  int `gorm:"not null;default:720"`
}

func (m0011GlobalSettings) TableName() string { return "global_settings" }

// 0011: per-COS credential and PIN-code limits, and global settings that were constants or
// process configuration before (PIN codes per OTP entry, EAS heartbeat bounds, devices per
// account, web session lifetime).
func migrate0011(tx *gorm.DB) error {
	for _, col := range []string{"MaxCredentialsPerKind", "PinCodesPerEntry"} {
		if err := tx.Migrator().AddColumn(&m0011COS{}, col); err != nil {
			return err
		}
	}
	for _, col := range []string{"PinCodesPerEntry", "EASHeartbeatMinSeconds", "EASHeartbeatMaxSeconds", "EASMaxDevicesPerAccount", "SessionLifetimeMinutes"} {
		if err := tx.Migrator().AddColumn(&m0011GlobalSettings{}, col); err != nil {
			return err
		}
	}
	return nil
}
