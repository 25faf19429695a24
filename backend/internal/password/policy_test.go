package password

import (
	"reflect"
	"strings"
	"testing"
)

func rules(v []Violation) []string {
	var out []string
	for _, x := range v {
		out = append(out, x.Rule)
	}
	return out
}

func TestCheck(t *testing.T) {
	def := DefaultPolicy()
	lenient := Policy{MinLength: 4}
	tests := []struct {
		name   string
		policy Policy
		pw     string
		email  string
		want   []string
	}{
		{"strong", def, "Tr4ck-Lamp-Ocean-92", "alice@example.com", nil},
		{"cyrillic classes", def, "Пароль-Надёжный-7", "alice@example.com", nil},
		{"empty", def, "", "alice@example.com", []string{RuleMinLength, RuleLowercase, RuleUppercase, RuleDigit, RuleSymbol}},
		{"too short", def, "Ab1-xyz", "", []string{RuleMinLength}},
		{"short in bytes not runes", def, "Ёжик-в-7", "", nil}, // 8 runes, 14 bytes
		{"no upper", def, "track-lamp-92", "", []string{RuleUppercase}},
		{"no lower", def, "TRACK-LAMP-92", "", []string{RuleLowercase}},
		{"no digit", def, "Track-Lamp-Ocean", "", []string{RuleDigit}},
		{"no symbol", def, "TrackLampOcean92", "", []string{RuleSymbol}},
		{"space is a symbol", def, "Track Lamp 92", "", nil},
		{"max runes", def, "Aa1-" + strings.Repeat("é", MaxLength-4), "", nil},
		{"over max runes", def, "Aa1-" + strings.Repeat("é", MaxLength-3), "", []string{RuleMaxLength}},
		{"common", def, "P@ssw0rd", "", []string{RuleCommon}},
		{"common with affixes", def, "Summer2024!", "", []string{RuleCommon}},
		{"local part", def, "Xy-JSmith-42", "jsmith@example.com", []string{RuleContainsUsername}},
		{"local part piece", def, "Smith-Yard-42", "john.smith@example.com", []string{RuleContainsUsername}},
		{"short piece ignored", def, "Jo-Yard-Tree-42", "jo.smith@example.com", nil},
		{"short local part ignored", def, "Jo-Yard-Tree-42", "jo@example.com", nil},
		{"three-char local part", def, "Bob-Yard-Tree-42", "bob@example.com", []string{RuleContainsUsername}},
		{"control character", def, "Track\tLamp-92", "", []string{RuleInvalidCharacters}},
		{"invalid utf-8", def, "Track-Lamp-92\xff", "", []string{RuleInvalidCharacters}},
		{"lenient policy", lenient, "zq7k", "", nil},
		{"lenient still rejects common", lenient, "letmein", "", []string{RuleCommon}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.policy.Check(tc.pw, tc.email)
			if !reflect.DeepEqual(rules(got), tc.want) {
				t.Fatalf("Check(%q, %q) = %v, want %v", tc.pw, tc.email, rules(got), tc.want)
			}
			for _, v := range got {
				if v.Message == "" {
					t.Errorf("rule %s has no message", v.Rule)
				}
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	want := Policy{MinLength: 8, RequireLower: true, RequireUpper: true, RequireDigit: true, RequireSymbol: true}
	if got := DefaultPolicy(); got != want {
		t.Fatalf("DefaultPolicy() = %+v, want %+v", got, want)
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v", err)
	}
}

func TestPolicyValidate(t *testing.T) {
	for _, n := range []int{-1, 0, MaxLength + 1} {
		if err := (Policy{MinLength: n}).Validate(); err == nil {
			t.Errorf("Validate with MinLength %d: want error", n)
		}
	}
	for _, n := range []int{1, 12, MaxLength} {
		if err := (Policy{MinLength: n}).Validate(); err != nil {
			t.Errorf("Validate with MinLength %d: %v", n, err)
		}
	}
}

func TestIsCommon(t *testing.T) {
	tests := []struct {
		pw   string
		want bool
	}{
		{"password", true},
		{"PASSWORD", true},
		{"P@ssw0rd", true},
		{"Password1!", true},
		{"Summer2024!", true},
		{"Qwerty123!", true},
		{"!!Dragon99", true},
		{"He11o", true}, // 1 -> l
		{"4dmin", true}, // leet before stripping
		{"123456", true},
		{"Tr4ck-Lamp-Ocean-92", false},
		{"Xx-Lo-99", false}, // "lo" is too short to count after stripping
		{"Пароль-Надёжный-7", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := IsCommon(tc.pw); got != tc.want {
			t.Errorf("IsCommon(%q) = %v, want %v", tc.pw, got, tc.want)
		}
	}
}

func TestCommonListLoaded(t *testing.T) {
	set := common()
	if len(set) != 10000 {
		t.Fatalf("common list has %d entries, want 10000", len(set))
	}
	if _, ok := set["# source: zxcvbn 4.4.2 (mit, copyright (c) 2012-2016 dan wheeler and dropbox, inc.), first 10000 of the passwords frequency list"]; ok {
		t.Fatal("header line was loaded as a password")
	}
}
