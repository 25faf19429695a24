package device

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, value string
		want           bool
	}{
		{"iPhone", "iPhone", true},
		{"iphone", "iPhone", true},
		{"iPhone", "iPhone15", false},
		{"iPhone*", "iPhone15C3", true},
		{"*Android*", "SAMSUNG Android 14", true},
		{"Apple-iPhone*/2*", "Apple-iPhone15C3/2104.220", true},
		{"Apple-iPhone*/2*", "Apple-iPhone15C3/1904.220", false},
		{"*", "anything", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"a*a", "a", false},
	} {
		if got := Match(c.pattern, c.value); got != c.want {
			t.Errorf("Match(%q, %q) = %v", c.pattern, c.value, got)
		}
	}
}

func TestFirstMatchInOrderAndUnsaidFieldsMatchNothing(t *testing.T) {
	rules := []store.DeviceRule{
		{ID: 1, Field: FieldModel, Pattern: "*", Action: "blocked"},
		{ID: 2, Field: FieldDeviceType, Pattern: "iPhone", Action: "allowed"},
		{ID: 3, Field: FieldDeviceType, Pattern: "i*", Action: "quarantined"},
	}
	d := &store.Device{DeviceType: "iPhone"}
	if r := FirstMatch(rules, d); r == nil || r.ID != 2 {
		t.Fatalf("model unknown: got %+v", r)
	}
	d.Model = "iPhone15,3"
	if r := FirstMatch(rules, d); r == nil || r.ID != 1 {
		t.Fatalf("model known: got %+v", r)
	}
	if r := FirstMatch(rules, &store.Device{DeviceType: "Android"}); r != nil {
		t.Fatalf("no rule should match: %+v", r)
	}
}

func TestCheckRule(t *testing.T) {
	if f, p, a, err := CheckRule("DEVICETYPE", " iPhone* ", "block"); err != nil || f != FieldDeviceType || p != "iPhone*" || a != "blocked" {
		t.Fatalf("got %q %q %q %v", f, p, a, err)
	}
	for _, bad := range [][3]string{{"colour", "x", "allowed"}, {"model", "", "allowed"}, {"model", "x", "deny"}} {
		if _, _, _, err := CheckRule(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
