package store

import (
	"time"

	"gorm.io/gorm"
)

type m0022Device struct {
	Access        string `gorm:"type:varchar(16);not null;default:''"`
	AccessBy      string `gorm:"type:varchar(16);not null;default:''"`
	AccessNoticed bool   `gorm:"not null;default:false"`
	Suspended     bool   `gorm:"not null;default:false"`
}

func (m0022Device) TableName() string { return "devices" }

type m0022GlobalSettings struct {
	DeviceAccess string `gorm:"type:varchar(16);not null;default:'allowed'"`
}

func (m0022GlobalSettings) TableName() string { return "global_settings" }

type m0022Domain struct {
	DeviceAccess string `gorm:"type:varchar(16);not null;default:''"`
}

func (m0022Domain) TableName() string { return "domains" }

type m0022COS struct {
	DeviceAccess string `gorm:"type:varchar(16);not null;default:''"`
}

func (m0022COS) TableName() string { return "cos" }

type m0022DeviceRule struct {
	ID        uint64  `gorm:"primaryKey"`
	DomainID  *uint64 `gorm:"index"`
	Position  int     `gorm:"not null"`
	Field     string  `gorm:"type:varchar(16);not null"`
	Pattern   string  `gorm:"type:varchar(191);not null"`
	Action    string  `gorm:"type:varchar(16);not null"`
	CreatedAt time.Time
}

func (m0022DeviceRule) TableName() string { return "device_rules" }

// 0022: device access control. Devices get their access state (existing devices: "", which
// is allowed), whether the quarantine notice went out, and a suspension flag; the three
// levels get the access of new devices (global: allowed, today's behaviour; domain and COS:
// unset); rules by DeviceType, model, OS or user agent get a table of their own.
func migrate0022(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range []string{"Access", "AccessBy", "AccessNoticed", "Suspended"} {
		if err := m.AddColumn(&m0022Device{}, col); err != nil {
			return err
		}
	}
	for _, t := range []any{&m0022GlobalSettings{}, &m0022Domain{}, &m0022COS{}} {
		if err := m.AddColumn(t, "DeviceAccess"); err != nil {
			return err
		}
	}
	return createTables(tx, &m0022DeviceRule{})
}
