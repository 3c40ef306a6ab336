package main

import "github.com/spf13/cobra"

// newHashCommand groups the perceptual-hash tools: hashing images (hash_pdq.go),
// comparing lists of hashes (hash_compare.go), and hashing and matching videos with
// vPDQ (hash_vpdq.go). None of them touches a store.
func newHashCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hash",
		Short: "Perceptual hashes of images, and comparing hash lists",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newHashPDQCommand(), newHashCompareCommand(), newHashVPDQCommand(), newHashVPDQMatchCommand())
	return cmd
}
