package password

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLength caps every policy (rule 6): long enough for passphrases, short
// enough that nobody can make the server hash megabytes per login attempt.
const MaxLength = 128

// Rule names are the stable "rule" values of the JSON API; clients key their
// own translations on them, so they must never change.
const (
	RuleMinLength = "min_length"
	RuleMaxLength = "max_length"
	RuleLowercase = "lowercase"
	RuleUppercase = "uppercase"
	RuleDigit     = "digit"
	RuleSymbol    = "symbol"
	RuleCommon    = "common_password"
	// RuleBreached: the password is in the local breached-password list (Policy.Breached).
	RuleBreached         = "breached_password"
	RuleContainsUsername = "contains_username"
	RuleNotCurrent       = "not_current"
	// RuleInvalidCharacters flags bytes that are not UTF-8 or control
	// characters: they cannot be typed reliably on every device and would
	// silently lock the user out of some clients.
	RuleInvalidCharacters = "invalid_characters"
)

// Policy is the configurable part of rule 6 (per COS, domain or global).
// The maximum length, the common-password list and the local-part check are
// always enforced and therefore not part of it.
type Policy struct {
	MinLength     int
	RequireLower  bool
	RequireUpper  bool
	RequireDigit  bool
	RequireSymbol bool
	// Breached is the server's breached-password list (TESSERA_BREACHED_PASSWORDS_FILE), nil
	// when there is none. It is not a level's setting: the policy service sets it on every level.
	Breached *Breached
}

// Violation is one broken rule; Message is a short English sentence for API
// clients that do not translate Rule themselves.
type Violation struct {
	Rule    string
	Message string
}

// DefaultPolicy is the seed's policy: at least 8 characters with lower case,
// upper case, a digit and a symbol.
func DefaultPolicy() Policy {
	return Policy{MinLength: 8, RequireLower: true, RequireUpper: true, RequireDigit: true, RequireSymbol: true}
}

// Validate rejects policies an administrator could configure but no password
// could satisfy sensibly (empty passwords, or a minimum above MaxLength).
func (p Policy) Validate() error {
	if p.MinLength < 1 || p.MinLength > MaxLength {
		return fmt.Errorf("password policy: minimum length must be between 1 and %d, got %d", MaxLength, p.MinLength)
	}
	return nil
}

// Check returns every rule pw violates for the account address email, or nil
// when pw is acceptable. All violations are reported at once so a form can
// show them together instead of one per round trip. "Not the current
// password" needs the stored hash and is checked by the caller.
func (p Policy) Check(pw, email string) []Violation {
	var v []Violation
	add := func(rule, msg string) { v = append(v, Violation{Rule: rule, Message: msg}) }

	if !utf8.ValidString(pw) || strings.IndexFunc(pw, unicode.IsControl) >= 0 {
		add(RuleInvalidCharacters, "Password must not contain control characters or invalid text.")
	}
	// Lengths count code points, as a user would count characters.
	n := utf8.RuneCountInString(pw)
	if n < p.MinLength {
		add(RuleMinLength, fmt.Sprintf("Password must be at least %d characters long.", p.MinLength))
	}
	if n > MaxLength {
		add(RuleMaxLength, fmt.Sprintf("Password must be at most %d characters long.", MaxLength))
	}

	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case !unicode.IsLetter(r):
			// Letters without case (e.g. CJK) are neither upper, lower nor symbol.
			symbol = true
		}
	}
	if p.RequireLower && !lower {
		add(RuleLowercase, "Password must contain a lower-case letter.")
	}
	if p.RequireUpper && !upper {
		add(RuleUppercase, "Password must contain an upper-case letter.")
	}
	if p.RequireDigit && !digit {
		add(RuleDigit, "Password must contain a digit.")
	}
	if p.RequireSymbol && !symbol {
		add(RuleSymbol, "Password must contain a symbol (a character that is neither a letter nor a digit).")
	}

	if IsCommon(pw) {
		add(RuleCommon, "Password is too common or too easy to guess.")
	}
	if p.Breached != nil {
		n, err := p.Breached.Count(pw)
		switch {
		case err != nil: // refused rather than let through unchecked; the list was fine at start-up
			add(RuleBreached, "This password could not be checked against the list of breached passwords. Try again later.")
		case n > 0:
			add(RuleBreached, fmt.Sprintf("This password has appeared in data breaches (%d times), so attackers try it first. Choose another.", n))
		}
	}
	if containsLocalPart(pw, email) {
		add(RuleContainsUsername, "Password must not contain your user name.")
	}
	return v
}

// containsLocalPart reports whether pw contains the address's local part, or
// one of its longer pieces: "john.smith" must not make "Smith2024!" pass.
func containsLocalPart(pw, email string) bool {
	local := email
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		local = email[:i]
	}
	local = strings.ToLower(local)
	lpw := strings.ToLower(pw)
	// Shorter local parts ("jo") would reject too many innocent passwords.
	if utf8.RuneCountInString(local) >= 3 && strings.Contains(lpw, local) {
		return true
	}
	pieces := strings.FieldsFunc(local, func(r rune) bool {
		return r == '.' || r == '_' || r == '-' || r == '+'
	})
	for _, piece := range pieces {
		if utf8.RuneCountInString(piece) >= 4 && strings.Contains(lpw, piece) {
			return true
		}
	}
	return false
}
