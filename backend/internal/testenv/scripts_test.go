package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// The paths of make test's set-up that change nothing on the machine, run for real with fake
// dpkg-query, mysqladmin and redis-cli first on PATH: as a user other than root it stops at
// once naming the missing packages and the one command; with the services down it goes on
// without them, or stops in strict mode; without Chromium the browser step says it skipped.
func TestSetupScript(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	fake := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(fake, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// chromium and swaks are "not installed"; everything else asks the real dpkg-query.
	write("dpkg-query", `for a in "$@"; do case "$a" in chromium|swaks) printf 'unknown ok not-installed'; exit 0;; esac; done
exec /usr/bin/dpkg-query "$@"`)
	for _, dir := range []string{fake, filepath.Dir(fake)} { // t.TempDir's parent is 0700: nobody must reach it
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Skip("not a Debian machine")
	}
	script := func(name string, env ...string) (string, int) {
		cmd := exec.Command(filepath.Join(root, "scripts", name))
		cmd.Env = append([]string{"PATH=" + fake + ":/usr/local/go/bin:" + os.Getenv("PATH"), "HOME=/tmp"}, env...)
		if os.Geteuid() == 0 { // the non-root path, for real
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			cmd.Dir = "/"
		}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}

	out, code := script("test-setup.sh")
	m := regexp.MustCompile(`missing Debian packages: (.+)\n  install them as root:  apt-get install -y --no-install-recommends (.+)\n`).FindStringSubmatch(out)
	if code != 1 || m == nil || m[1] != m[2] || !regexp.MustCompile(`\bchromium\b.*\bswaks\b`).MatchString(m[1]) {
		t.Errorf("not root, packages missing: exit %d\n%s\nwant exit 1, the packages and the command", code, out)
	}

	write("dpkg-query", `exec /usr/bin/dpkg-query "$@"`)
	write("mysqladmin", "exit 1")
	write("redis-cli", "echo 'Could not connect to Redis'; exit 1")
	if _, code := script("test-setup.sh"); code == 1 {
		// A package this test did not fake is missing here: the next cases cannot run.
		t.Skip("some Debian package of the suites is not installed")
	}
	out, code = script("test-setup.sh")
	if code != 0 || !strings.Contains(out, "WARNING: MariaDB is not answering") || !strings.Contains(out, "WARNING: Redis is not answering") ||
		!strings.Contains(out, "MariaDB: none, Redis: none, strict: no") {
		t.Errorf("services down: exit %d\n%s", code, out)
	}
	for _, strict := range []string{"CI=true", "TESSERA_TEST_STRICT=1"} {
		out, code = script("test-setup.sh", strict)
		if code != 1 || !strings.Contains(out, "MariaDB is not answering on 127.0.0.1:3306; strict mode") {
			t.Errorf("services down, %s: exit %d\n%s", strict, code, out)
		}
	}

	out, code = script("test-e2e.sh", "CHROMIUM_PATH=/nonexistent/chromium")
	if code != 0 || !strings.Contains(out, "test-e2e: SKIPPED: Chromium not found at /nonexistent/chromium (apt-get install chromium") {
		t.Errorf("no Chromium: exit %d\n%s", code, out)
	}
	out, code = script("test-e2e.sh", "CHROMIUM_PATH=/nonexistent/chromium", "CI=true")
	if code != 1 || !strings.Contains(out, "test-e2e: FAILED: Chromium not found at /nonexistent/chromium (apt-get install chromium") {
		t.Errorf("no Chromium, CI=true: exit %d\n%s", code, out)
	}
}
