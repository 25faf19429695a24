package store

import "time"

// Roles and statuses as stored. Services own their meaning; the store only keeps them.
const (
	RoleUser        = "user"
	RoleDomainAdmin = "domain_admin"
	RoleGlobalAdmin = "global_admin"

	StatusActive = "active"
	StatusLocked = "locked"
	StatusClosed = "closed"
)

// Domain is a mail domain such as example.com.
type Domain struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string `gorm:"type:varchar(191);not null;uniqueIndex"`
	TwoFactor string `gorm:"type:varchar(16);not null"` // required | forbidden | "" (unset)
	// EASRequireDevicePassword makes phones of the domain's accounts set a device password.
	EASRequireDevicePassword bool      `gorm:"not null"`
	CreatedAt                time.Time `gorm:"not null"`

	// Password policy (migration 0010): overrides of the global policy, and whether the account
	// password may open the mail services (EAS, IMAP, POP3, SMTP, DAV) while 2FA is off.
	PasswordOverrides      `gorm:"embedded"`
	AccountPasswordForMail bool `gorm:"not null;default:true"`
	// DeviceAccess of new EAS devices; "" inherits the global setting (migration 0022).
	DeviceAccess string `gorm:"type:varchar(16);not null;default:''"`
	// TrustedBrowserDays: how long "remember this browser" lasts; nil inherits (migration 0027).
	TrustedBrowserDays *int
	// PasskeyLogin: passwordless passkey sign-in; nil inherits the global setting (migration 0026).
	PasskeyLogin *bool
}

// PasswordOverrides are a domain's or COS's password-policy fields; nil inherits the value of
// the level above (package policy resolves them).
type PasswordOverrides struct {
	PwMinLength     *int
	PwRequireLower  *bool
	PwRequireUpper  *bool
	PwRequireDigit  *bool
	PwRequireSymbol *bool
}

// COS is a class of service: a named policy bundle accounts belong to.
type COS struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string `gorm:"type:varchar(64);not null;uniqueIndex"`
	TwoFactor string `gorm:"type:varchar(16);not null"` // required | forbidden | "" (unset)
	// EASEnabled: accounts of this class may use Exchange ActiveSync (403 otherwise).
	EASEnabled bool      `gorm:"not null;default:true"`
	CreatedAt  time.Time `gorm:"not null"`

	// Password policy overrides (migration 0010).
	PasswordOverrides `gorm:"embedded"`
	// Limits (migration 0011); nil inherits the global setting.
	MaxCredentialsPerKind *int
	PinCodesPerEntry      *int
	// DeviceAccess of new EAS devices; "" inherits the domain's (migration 0022).
	DeviceAccess string `gorm:"type:varchar(16);not null;default:''"`
	// TrustedBrowserDays: how long "remember this browser" lasts; nil inherits (migration 0027).
	TrustedBrowserDays *int
	// PasskeyLogin: passwordless passkey sign-in; nil inherits the domain's (migration 0026).
	PasskeyLogin *bool
}

// TableName keeps the table name short and explicit.
func (COS) TableName() string { return "cos" }

// Account is a mail user. PasswordHash never leaves the service layer: API types are separate.
type Account struct {
	ID                uint64 `gorm:"primaryKey"`
	Email             string `gorm:"type:varchar(191);not null;uniqueIndex"`
	DomainID          uint64 `gorm:"not null;index"`
	Domain            Domain
	COSID             *uint64 `gorm:"column:cos_id;index"`
	COS               *COS
	PasswordHash      string `gorm:"type:varchar(255);not null"`
	Role              string `gorm:"type:varchar(16);not null"`
	Status            string `gorm:"type:varchar(16);not null"`
	TwoFactorEnabled  bool   `gorm:"not null"`
	TokenVersion      uint64 `gorm:"not null"`
	PasswordChangedAt *time.Time
	LastLoginAt       *time.Time
	Oof               string // EAS Out-of-Office setting, JSON
	// MustChangePassword: the password was set by an administrator who wants the user to choose
	// their own; until then a web session may only change it, and other doors refuse it.
	MustChangePassword bool `gorm:"not null;default:false"`
	// RecoveryEmail: an address outside the account that gets a copy of every security
	// notice through the outgoing relay ("" for none; never the account's own address).
	RecoveryEmail string    `gorm:"type:varchar(254);not null;default:''"`
	CreatedAt     time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

// AdminDomain assigns a domain to a domain admin. A domain admin without rows administers
// their own account's domain; with rows, exactly the domains named.
type AdminDomain struct {
	ID        uint64 `gorm:"primaryKey"`
	AccountID uint64 `gorm:"not null;uniqueIndex:idx_admin_domains_pair,priority:1"`
	DomainID  uint64 `gorm:"not null;uniqueIndex:idx_admin_domains_pair,priority:2;index"`
}

// GlobalSettings is the single row (ID 1) of server-wide policy.
type GlobalSettings struct {
	ID              uint64 `gorm:"primaryKey"`
	PwMinLength     int    `gorm:"not null"`
	PwRequireLower  bool   `gorm:"not null"`
	PwRequireUpper  bool   `gorm:"not null"`
	PwRequireDigit  bool   `gorm:"not null"`
	PwRequireSymbol bool   `gorm:"not null"`
	// A password change revokes application passcodes (never EAS passwords).
	RevokePasscodesOnPasswordChange bool   `gorm:"not null"`
	MaxCredentialsPerKind           int    `gorm:"not null"`
	TwoFactor                       string `gorm:"type:varchar(16);not null"` // required | forbidden | ""
	EASRequireDevicePassword        bool   `gorm:"not null"`
	EASMinDevicePasswordLen         int    `gorm:"not null"`
	EASMaxInactivitySeconds         int    `gorm:"not null"`
	// AdminRequireTwoFactor: the Administration area needs a session that passed a second factor.
	AdminRequireTwoFactor bool      `gorm:"not null;default:true"`
	UpdatedAt             time.Time `gorm:"not null"`

	// Limits and EAS/session settings (migration 0011).
	PinCodesPerEntry        int `gorm:"not null;default:10"`
	EASHeartbeatMinSeconds  int `gorm:"not null;default:60"`
	EASHeartbeatMaxSeconds  int `gorm:"not null;default:3540"`
	EASMaxDevicesPerAccount int `gorm:"not null;default:20"` // 0: unlimited
	SessionLifetimeMinutes  int `gorm:"not null;default:720"`

	// DeviceAccess is what a new EAS device gets: allowed, quarantined or blocked (migration 0022).
	DeviceAccess string `gorm:"type:varchar(16);not null;default:'allowed'"`

	// TrustedBrowserDays: how long "remember this browser" lasts after a second factor; 0
	// offers no remembering (migration 0027).
	TrustedBrowserDays int `gorm:"not null;default:30"`
	// SecurityNoticesOff lists, comma-separated, the security-notice events that send no mail
	// (migration 0028; "": every event sends one). Package notice names the events.
	SecurityNoticesOff string `gorm:"type:varchar(255);not null;default:''"`
	// PasskeyLogin: "Sign in with a passkey" without the password (migration 0026).
	PasskeyLogin bool `gorm:"not null;default:true"`
}

// TableName: one row, singular name.
func (GlobalSettings) TableName() string { return "global_settings" }

// AuditEvent records who did what to which account, from where.
type AuditEvent struct {
	ID       uint64    `gorm:"primaryKey"`
	At       time.Time `gorm:"not null;index"`
	Actor    string    `gorm:"type:varchar(191);not null"`
	Account  string    `gorm:"type:varchar(191);not null;index"`
	Action   string    `gorm:"type:varchar(64);not null;index"`
	Outcome  string    `gorm:"type:varchar(16);not null"`
	Reason   string    `gorm:"type:varchar(191);not null"`
	ClientIP string    `gorm:"type:varchar(64);not null"`
}

// RevokedToken is a logged-out session token, kept until it would have expired anyway.
type RevokedToken struct {
	JTI       string    `gorm:"type:varchar(64);primaryKey"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

// Credential kinds.
const (
	KindEAS         = "eas"
	KindMobileApp   = "mobile_app"
	KindAppPasscode = "app_passcode"
	KindOTP         = "otp"
	// KindPasskey: a WebAuthn credential (migration 0026); its public key is a PasskeyKey row.
	KindPasskey = "passkey"

	CredEnabled  = "enabled"
	CredDisabled = "disabled"
	CredLocked   = "locked"
	CredExpired  = "expired"
	// CredPending: an OTP entry not yet confirmed with a code from the authenticator app.
	CredPending = "pending"
)

// Credential is a secret of an account other than its password. Only a keyed hash of the
// secret is kept (SecretHash); LabelKey is a hash of the normalised label, so uniqueness is
// the same on SQLite and on MySQL's case- and accent-insensitive collation.
type Credential struct {
	ID         uint64 `gorm:"primaryKey"`
	AccountID  uint64 `gorm:"not null"`
	Kind       string `gorm:"type:varchar(16);not null"`
	Label      string `gorm:"type:varchar(191);not null"`
	LabelKey   string `gorm:"type:varchar(64);not null"`
	SecretHash string `gorm:"type:varchar(64);not null"`
	Status     string `gorm:"type:varchar(16);not null"`
	// Services are the doors the credential opens, comma-separated (authn service names); for
	// an application passcode its scope, enforced by authn since migration 0023.
	Services       string `gorm:"type:varchar(191);not null"`
	FailedAttempts int    `gorm:"not null"`
	Description    string `gorm:"type:varchar(191);not null"`
	// SecretEnc is the TOTP seed, AES-GCM sealed with the row id as associated data (OTP only).
	SecretEnc string `gorm:"type:varchar(191);not null"`
	// LastStep is the last TOTP time step accepted: a step is never accepted twice.
	LastStep   int64 `gorm:"not null"`
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	// LastUsedIP is the client address of the last use (migration 0023).
	LastUsedIP string    `gorm:"column:last_used_ip;type:varchar(64);not null;default:''"`
	CreatedAt  time.Time `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
	// PINCodesLeft is not a column: the unused PIN codes of an OTP entry, counted when the
	// entry is read for display (ListCredentials, CredentialOf, CredentialByID).
	PINCodesLeft int `gorm:"-"`
	// AAGUID is not a column: the authenticator model of a passkey, read with it for display.
	AAGUID string `gorm:"-"`
}

// PinCode is a single-use code of an OTP entry, kept as a keyed hash.
type PinCode struct {
	ID           uint64 `gorm:"primaryKey"`
	CredentialID uint64 `gorm:"not null"`
	CodeHash     string `gorm:"type:varchar(64);not null"`
	UsedAt       *time.Time
	CreatedAt    time.Time `gorm:"not null"`
}
