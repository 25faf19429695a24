package store

import "gorm.io/gorm"

// The per-level password-policy overrides are nullable: NULL inherits. (Spelled out in each
// snapshot type: gorm does not see the fields of an unexported embedded struct.)
type m0010Domain struct {
	PwMinLength            *int
	PwRequireLower         *bool
	PwRequireUpper         *bool
	PwRequireDigit         *bool
	PwRequireSymbol        *bool
	AccountPasswordForMail bool `gorm:"not null;default:true"`
}

func (m0010Domain) TableName() string { return "domains" }

type m0010COS struct {
	PwMinLength     *int
	PwRequireLower  *bool
	PwRequireUpper  *bool
	PwRequireDigit  *bool
	PwRequireSymbol *bool
}

func (m0010COS) TableName() string { return "cos" }

var m0010PasswordColumns = []string{"PwMinLength", "PwRequireLower", "PwRequireUpper", "PwRequireDigit", "PwRequireSymbol"}

// 0010: domains and classes of service may override each field of the account-password policy
// (NULL: inherit), and a domain may refuse the account password on the mail services even while
// 2FA is off (default: allowed, as before).
func migrate0010(tx *gorm.DB) error {
	for _, col := range m0010PasswordColumns {
		if err := tx.Migrator().AddColumn(&m0010Domain{}, col); err != nil {
			return err
		}
		if err := tx.Migrator().AddColumn(&m0010COS{}, col); err != nil {
			return err
		}
	}
	return tx.Migrator().AddColumn(&m0010Domain{}, "AccountPasswordForMail")
}
