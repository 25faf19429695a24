package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// rejectUnknown walks the command tree once. Cobra runs a group that has no RunE of its own as
// "print the help and succeed" whatever follows it, so `tessera mobile doSuspendDevice a b`
// exited 0 and a script believed it worked; the root's own answer was an exit code 1 like a
// failed operation. Every group now answers an unknown subcommand with a usage error (exit 2)
// and shows its help only when called bare; `help` refuses a topic it does not know the same way.
// Cobra adds the help and completion commands only inside Execute, so they are added here first
// to be walked too.
func rejectUnknown(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.HasSubCommands() && !c.Runnable() {
			c.Args = unknownCommand
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
	walk(root)
	if help, _, err := root.Find([]string{"help"}); err == nil && help.Name() == "help" {
		show := help.Run
		help.Run = nil
		help.RunE = func(cmd *cobra.Command, a []string) error {
			if topic, rest, err := root.Find(a); err != nil || len(rest) > 0 {
				if err != nil {
					return &usageError{err}
				}
				return unknownCommand(topic, rest)
			}
			show(cmd, a)
			return nil
		}
	}
}

// unknownCommand is the Args of every group: any positional argument left over after cobra has
// found the deepest matching command is a subcommand that does not exist.
func unknownCommand(cmd *cobra.Command, a []string) error {
	if len(a) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", a[0], cmd.CommandPath())
	cmd.SuggestionsMinimumDistance = 2
	if s := cmd.SuggestionsFor(a[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &usageError{fmt.Errorf("%s (see %s --help)", msg, cmd.CommandPath())}
}
