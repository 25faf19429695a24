package store

import "gorm.io/gorm"

type m0023Credential struct {
	LastUsedIP string `gorm:"column:last_used_ip;type:varchar(64);not null;default:''"`
}

func (m0023Credential) TableName() string { return "credentials" }

// m0023PasscodeServices is every door an application passcode opened before 0023 (PRODUCT.md
// rule 3: EAS, IMAP, POP3, SMTP submission, CalDAV, CardDAV), as 0023 knew it.
const m0023PasscodeServices = "eas,imap,pop3,smtp,caldav,carddav"

// 0023: scoped passcodes. Credentials get the client address of their last use. The services
// column, written at creation but never enforced until now, becomes the passcode's scope:
// existing passcodes get every door they opened so far (rows made before DAV existed listed
// fewer), so no client that works today is locked out by the upgrade. An expiry an
// administrator set stays; the others keep none. EAS passwords and mobile-app tokens get their
// one door written out as well.
func migrate0023(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0023Credential{}, "LastUsedIP"); err != nil {
		return err
	}
	if err := tx.Table("credentials").Where("kind = ?", "app_passcode").Update("services", m0023PasscodeServices).Error; err != nil {
		return err
	}
	// EAS passwords and mobile-app tokens open one door each, which authn now also reads from
	// this column: written here too, whatever an older version stored.
	for kind, services := range map[string]string{"eas": "eas", "mobile_app": "mobile_app"} {
		if err := tx.Table("credentials").Where("kind = ?", kind).Update("services", services).Error; err != nil {
			return err
		}
	}
	return nil
}
