package policy

import "testing"

// Every combination of the three levels and the user's choice: 3×3×3×2 = 54 cases, checked
// against the rule written out independently of Resolve's loop.
func TestResolveAllCombinations(t *testing.T) {
	values := []Setting{Unset, Required, Forbidden}
	n := 0
	for _, cos := range values {
		for _, dom := range values {
			for _, glob := range values {
				for _, user := range []bool{false, true} {
					n++
					var want Decision
					switch {
					case cos != Unset:
						want = Decision{Enabled: cos == Required, LockedBy: LevelCOS}
					case dom != Unset:
						want = Decision{Enabled: dom == Required, LockedBy: LevelDomain}
					case glob != Unset:
						want = Decision{Enabled: glob == Required, LockedBy: LevelGlobal}
					default:
						want = Decision{Enabled: user, LockedBy: LevelNone}
					}
					if got := Resolve(Levels{COS: cos, Domain: dom, Global: glob}, user); got != want {
						t.Errorf("cos=%q domain=%q global=%q user=%v: got %+v, want %+v", cos, dom, glob, user, got, want)
					}
				}
			}
		}
	}
	if n != 54 {
		t.Fatalf("%d cases", n)
	}
}

func TestSpotChecks(t *testing.T) {
	// A COS that forbids beats a domain that requires; the user's wish does not matter.
	if d := Resolve(Levels{COS: Forbidden, Domain: Required}, true); d.Enabled || d.LockedBy != LevelCOS {
		t.Fatalf("got %+v", d)
	}
	if d := Resolve(Levels{Global: Required}, false); !d.Enabled || d.LockedBy != LevelGlobal {
		t.Fatalf("got %+v", d)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Setting{"required": Required, "forbidden": Forbidden, "unset": Unset, "": Unset} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := Parse("maybe"); err == nil {
		t.Error("Parse(maybe) accepted")
	}
}
