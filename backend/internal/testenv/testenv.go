// Package testenv decides what a test does when a tool or service it needs is missing. On a
// developer's machine it skips, saying what to install. In strict mode — CI set (to anything but
// "false" or "0") or TESSERA_TEST_STRICT=1 — it fails, naming the tool and its Debian package:
// a skipped check passes without having run, and a green CI run that never called oathtool or
// MariaDB proves nothing. scripts/testenv.sh has the same rule for the shell steps.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// EnvMySQL names the variable with a DSN of a MySQL/MariaDB server the tests may create
// databases on (`make test` sets it whenever MariaDB answers).
const EnvMySQL = "TESSERA_TEST_MYSQL_DSN"

// Strict reports whether a missing tool or service fails the test instead of skipping it.
func Strict() bool {
	if os.Getenv("TESSERA_TEST_STRICT") == "1" {
		return true
	}
	ci := os.Getenv("CI")
	return ci != "" && ci != "false" && ci != "0"
}

// Missing skips the test, or fails it in strict mode, because what is missing; install says
// how to get it (usually "apt-get install PACKAGE").
func Missing(t testing.TB, what, install string) {
	t.Helper()
	if Strict() {
		t.Fatalf("%s is missing (%s); strict mode (CI or TESSERA_TEST_STRICT=1) does not skip", what, install)
	}
	t.Skipf("%s is missing (%s)", what, install)
}

// RequireTool returns the path of an external program, skipping or failing (see Missing) when
// it is not on PATH; pkg is the Debian package that has it.
func RequireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name, "apt-get install "+pkg)
	}
	return p
}

// OptionalTool is for an extra check inside a test that runs anyway: "" when the program is
// missing (the check is left out), a failure in strict mode.
func OptionalTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil && Strict() {
		Missing(t, name, "apt-get install "+pkg)
	}
	return p
}

// RequireMySQL returns TESSERA_TEST_MYSQL_DSN, skipping or failing when it is not set.
func RequireMySQL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvMySQL)
	if dsn == "" {
		Missing(t, "MariaDB ("+EnvMySQL+" not set)", "make test sets it when MariaDB answers; apt-get install mariadb-server")
	}
	return dsn
}

// RequireRedis takes the error of a ping of the test Redis and skips or fails when it is not nil.
func RequireRedis(t testing.TB, pingErr error) {
	t.Helper()
	if pingErr != nil {
		Missing(t, "Redis ("+pingErr.Error()+")", "make test starts it; apt-get install redis-server")
	}
}
