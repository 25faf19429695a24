package testenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestStrict(t *testing.T) {
	for _, c := range []struct {
		ci, strict string
		want       bool
	}{{"", "", false}, {"true", "", true}, {"1", "", true}, {"false", "", false}, {"0", "", false}, {"", "1", true}, {"false", "1", true}, {"", "0", false}} {
		t.Setenv("CI", c.ci)
		t.Setenv("TESSERA_TEST_STRICT", c.strict)
		if got := Strict(); got != c.want {
			t.Errorf("CI=%q TESSERA_TEST_STRICT=%q: Strict() = %v", c.ci, c.strict, got)
		}
	}
}

// The helpers run in a child test process (this test binary again), so that their Skip and
// Fatal can be seen from outside: skipped and passing normally, failing with the tool's name
// and package in strict mode.
func TestMissingSkipsOrFails(t *testing.T) {
	if name := os.Getenv("TESTENV_CHILD"); name != "" {
		switch name {
		case "tool":
			RequireTool(t, "no-such-tool-tessera", "some-package")
		case "optional":
			if OptionalTool(t, "no-such-tool-tessera", "some-package") != "" {
				t.Fatal("found a tool that does not exist")
			}
		case "mysql":
			RequireMySQL(t)
		case "redis":
			RequireRedis(t, errors.New("dial tcp 127.0.0.1:1: connection refused"))
		}
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := func(name string, strict bool) (string, bool) {
		cmd := exec.Command(exe, "-test.run=^TestMissingSkipsOrFails$", "-test.v")
		cmd.Env = []string{"TESTENV_CHILD=" + name, "PATH=" + filepath.Dir(exe)}
		if strict {
			cmd.Env = append(cmd.Env, "TESSERA_TEST_STRICT=1")
		}
		out, err := cmd.CombinedOutput()
		return string(out), err == nil
	}
	for _, c := range []struct{ name, says string }{
		{"tool", "no-such-tool-tessera is missing (apt-get install some-package)"},
		{"optional", "no-such-tool-tessera is missing (apt-get install some-package)"},
		{"mysql", "MariaDB (TESSERA_TEST_MYSQL_DSN not set)"},
		{"redis", "Redis (dial tcp 127.0.0.1:1: connection refused)"},
	} {
		out, ok := child(c.name, false)
		if skipped := strings.Contains(out, "--- SKIP"); !ok || skipped != (c.name != "optional") {
			t.Errorf("%s, not strict: ok=%v\n%s", c.name, ok, out)
		}
		out, ok = child(c.name, true)
		if ok || !strings.Contains(out, "--- FAIL") || !strings.Contains(out, c.says) || !strings.Contains(out, "strict mode") {
			t.Errorf("%s, strict: ok=%v, want a failure saying %q\n%s", c.name, ok, c.says, out)
		}
	}
}
