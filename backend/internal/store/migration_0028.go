package store

import "gorm.io/gorm"

type m0028GlobalSettings struct {
	SecurityNoticesOff string `gorm:"type:varchar(255);not null;default:''"`
}

func (m0028GlobalSettings) TableName() string { return "global_settings" }

type m0028Device struct {
	NewDeviceNoticed bool `gorm:"not null;default:false"`
}

func (m0028Device) TableName() string { return "devices" }

// 0028: security notices by mail. The global setting lists the events that send none ("": all
// send one, so an event added later is on until an operator turns it off); a device remembers
// that its "new device" notice went out, so concurrent first requests send one between them.
func migrate0028(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0028GlobalSettings{}, "SecurityNoticesOff"); err != nil {
		return err
	}
	return tx.Migrator().AddColumn(&m0028Device{}, "NewDeviceNoticed")
}
