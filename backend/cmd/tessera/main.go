// Command tessera is the server, the migration runner and the operator's CLI in one binary.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/fault"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns its exit code: 0, 1 for a failed operation, 2 for a
// command line that is wrong or a value the service refuses as invalid.
func run(argv []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(argv)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "tessera: "+describe(err))
		var usage *usageError
		if errors.As(err, &usage) {
			return 2
		}
		// A value the service refuses as invalid is bad input too (a role, an address, a
		// password the policy refuses), not a failed operation.
		var weak *account.WeakPasswordError
		if f, ok := fault.As(err); (ok && f.Kind == fault.Invalid) || errors.As(err, &weak) {
			return 2
		}
		return 1
	}
	return 0
}

// usageError marks wrong arguments (exit code 2, like other Unix tools).
type usageError struct{ error }

// absent names what was not found, for the operator, whichever service said so.
func absent(what string, err error) error {
	if errors.Is(err, fault.NotFound) {
		return fmt.Errorf("%s does not exist", what)
	}
	return err
}

// describe turns service errors into sentences an operator can act on.
func describe(err error) string {
	var weak *account.WeakPasswordError
	if errors.As(err, &weak) {
		msgs := make([]string, len(weak.Violations))
		for i, v := range weak.Violations {
			msgs[i] = v.Message
		}
		return "password refused: " + strings.Join(msgs, " ")
	}
	if f, ok := fault.As(err); ok && f.Kind == fault.Invalid {
		return f.Error()
	}
	return err.Error()
}
