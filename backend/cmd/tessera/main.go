// Command tessera is the server, the migration runner and the operator's CLI in one binary.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "tessera: "+describe(err))
		var usage *usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks wrong arguments (exit code 2, like other Unix tools).
type usageError struct{ error }

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
	var input *admin.InputError
	if errors.As(err, &input) {
		return input.Message
	}
	return err.Error()
}
