package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newHashCompareCommand is "caseroom hash compare" (being written).
func newHashCompareCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "compare [--radius 31] NEEDLES HAYSTACK",
		Short:  "Print every pair of hashes within a Hamming radius",
		Hidden: true,
		RunE:   func(*cobra.Command, []string) error { return errors.New("not built yet") },
	}
}
