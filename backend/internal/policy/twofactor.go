package policy

import "fmt"

// Setting is a level's 2FA value: required, forbidden, or unset ("").
type Setting string

// Settings a level can hold.
const (
	Required  Setting = "required"
	Forbidden Setting = "forbidden"
	Unset     Setting = ""
)

// Parse reads a setting as typed by an operator.
func Parse(s string) (Setting, error) {
	switch Setting(s) {
	case Required, Forbidden:
		return Setting(s), nil
	case "unset", "":
		return Unset, nil
	}
	return "", fmt.Errorf("want required, forbidden or unset, got %q", s)
}

// Level names which level locks the user's switch.
type Level string

// Levels, most specific first.
const (
	LevelCOS    Level = "cos"
	LevelDomain Level = "domain"
	LevelGlobal Level = "global"
	LevelNone   Level = ""
)

// Levels are the three settings that may apply to an account.
type Levels struct {
	COS, Domain, Global Setting
}

// Decision is the effective 2FA state of an account.
type Decision struct {
	Enabled  bool
	LockedBy Level // LevelNone: the user decides
}

// Resolve applies PRODUCT.md rule 4: the most specific level that is set wins (COS, then
// domain, then global) and locks the user's switch; when none is set the user's choice stands.
func Resolve(l Levels, userChoice bool) Decision {
	for _, lv := range []struct {
		s     Setting
		level Level
	}{{l.COS, LevelCOS}, {l.Domain, LevelDomain}, {l.Global, LevelGlobal}} {
		switch lv.s {
		case Required:
			return Decision{Enabled: true, LockedBy: lv.level}
		case Forbidden:
			return Decision{Enabled: false, LockedBy: lv.level}
		}
	}
	return Decision{Enabled: userChoice, LockedBy: LevelNone}
}
