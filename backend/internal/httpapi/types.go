package httpapi

import (
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Request and response types: separate from the GORM models so that a hash can never be
// serialised by accident.

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type changePasswordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

type meResponse struct {
	ID                uint64     `json:"id"`
	Email             string     `json:"email"`
	Domain            string     `json:"domain"`
	Role              string     `json:"role"`
	COS               *string    `json:"cos"`
	Status            string     `json:"status"`
	TwoFactorEnabled  bool       `json:"twoFactorEnabled"`
	CreatedAt         time.Time  `json:"createdAt"`
	PasswordChangedAt *time.Time `json:"passwordChangedAt"`
	// MustChangePassword: an administrator's reset requires a new password before anything else.
	MustChangePassword bool `json:"mustChangePassword"`
	// AdminDomains: the domains a domain admin administers (absent for other roles).
	AdminDomains []string `json:"adminDomains,omitempty"`
	// RecoveryEmail: where security notices also go through the relay ("" for none).
	RecoveryEmail string `json:"recoveryEmail"`
}

func toMe(a *store.Account) meResponse {
	m := meResponse{ID: a.ID, Email: a.Email, Domain: a.Domain.Name, Role: a.Role, Status: a.Status,
		TwoFactorEnabled: a.TwoFactorEnabled, CreatedAt: a.CreatedAt.UTC(), PasswordChangedAt: a.PasswordChangedAt,
		MustChangePassword: a.MustChangePassword, RecoveryEmail: a.RecoveryEmail}
	if a.COS != nil {
		m.COS = &a.COS.Name
	}
	return m
}

type passwordPolicyResponse struct {
	MinLength        int  `json:"minLength"`
	MaxLength        int  `json:"maxLength"`
	RequireLowercase bool `json:"requireLowercase"`
	RequireUppercase bool `json:"requireUppercase"`
	RequireDigit     bool `json:"requireDigit"`
	RequireSymbol    bool `json:"requireSymbol"`
}
