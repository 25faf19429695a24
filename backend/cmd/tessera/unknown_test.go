package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every group and every command of the tree, found by walking it, so a group added later is
// covered without touching this test.
func TestUnknownCommandsAndFlags(t *testing.T) {
	exec := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		return code, out.String(), errb.String()
	}
	var groups, all [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		all = append(all, path)
		if c.HasSubCommands() {
			groups = append(groups, path)
		}
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(newRoot(), nil)
	for _, want := range []string{"", "domain", "cos", "account", "policy", "mailbox", "mobile", "config", "credential", "audit", "completion"} {
		found := false
		for _, p := range all {
			found = found || strings.Join(p, " ") == want
		}
		if !found {
			t.Errorf("the walk did not find %q", want)
		}
	}
	for _, g := range groups {
		name := strings.TrimSpace("tessera " + strings.Join(g, " "))
		code, out, errs := exec(append(append([]string{}, g...), "doFreezeDevice", "a", "b")...)
		if want := `tessera: unknown command "doFreezeDevice" for "` + name + `"`; code != 2 || !strings.HasPrefix(errs, want) || out != "" {
			t.Errorf("%s doFreezeDevice a b: exit %d, stdout %q, stderr %q (want exit 2 and %q)", name, code, out, errs, want)
		}
		if code, out, _ := exec(g...); code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%s alone: exit %d, stdout %q (want its help and exit 0)", name, code, out)
		}
		if code, _, errs := exec(append([]string{"help"}, append(append([]string{}, g...), "nope")...)...); code != 2 || !strings.Contains(errs, `unknown command "nope" for "`+name+`"`) {
			t.Errorf("help %s nope: exit %d, stderr %q", strings.Join(g, " "), code, errs)
		}
	}
	// Flags are parsed before anything runs, so this touches no database.
	for _, p := range all {
		code, _, errs := exec(append(append([]string{}, p...), "--no-such-flag")...)
		if code != 2 || !strings.HasPrefix(errs, "tessera: unknown flag: --no-such-flag") {
			t.Errorf("tessera %s --no-such-flag: exit %d, stderr %q", strings.Join(p, " "), code, errs)
		}
	}
	// audit is a single command: a word after it is no subcommand either.
	if code, _, errs := exec("audit", "nope"); code != 2 || !strings.Contains(errs, `unknown command "nope" for "tessera audit"`) {
		t.Errorf("audit nope: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := exec("mobile", "doResetDevic", "a", "b"); code != 2 || !strings.Contains(errs, "did you mean doResetDevice?") {
		t.Errorf("a near miss: exit %d, stderr %q", code, errs)
	}
	if code, out, errs := exec("config", "keys"); code != 0 || !strings.Contains(out, "passwordMinLength") {
		t.Errorf("a correct command: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, _ := exec("help", "mobile"); code != 0 || !strings.Contains(out, "doRemoveDevice") {
		t.Errorf("help mobile: exit %d, stdout %q", code, out)
	}
}
