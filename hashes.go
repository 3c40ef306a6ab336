package caseroom

import (
	"context"
	"time"
)

// MatchRadius is the PDQ distance at or below which two images are taken to be copies,
// and MinMatchQuality the quality both must reach: Meta's recommended thresholds.
const (
	MatchRadius     = 31
	MinMatchQuality = 50
)

// ImageHash is the perceptual hash of an image content: its PDQ hash (hex) and quality,
// and the hashes of its eight orientations (orig, rot90, rot180, rot270, flipx, flipy,
// flipplus1, flipminus1), so that a rotated or mirrored copy is found too.
type ImageHash struct {
	PDQ      string    `json:"pdq"`
	Quality  int       `json:"quality"`
	Dihedral [8]string `json:"-"`
}

// DihedralNames names ImageHash.Dihedral's forms, in order.
var DihedralNames = [8]string{"orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipplus1", "flipminus1"}

// MediaMatch is a match of a file's content: to an entry of a known-hash set (Kind
// "known") or to another content found in the case (Kind "media"), by equal MD5, SHA-1
// or SHA-256, by PDQ within MatchRadius (By "pdq", with the distance and which
// orientation of this file matched), or, for a video, by vPDQ (By "vpdq": frames
// within MatchRadius, with the smallest distance).
type MediaMatch struct {
	Kind        string `json:"kind"`
	By          string `json:"by"`
	Distance    int    `json:"distance"`
	Orientation string `json:"orientation,omitempty"`
	// For a known-hash set entry.
	HashSet      string `json:"hashSet,omitempty"`
	Category     string `json:"category,omitempty"`
	KnownMediaID string `json:"knownMediaId,omitempty"`
	Series       string `json:"series,omitempty"`
	// For another content of the case: its SHA-256 and where it was found.
	SHA256    string          `json:"sha256,omitempty"`
	Locations []MediaLocation `json:"locations,omitempty"`
	// Video is the frame overlap of a match between two videos (By "vpdq"), or, for a
	// known-set entry matched by a frame, nil with Frame set to that frame's number.
	Video *VideoMatch `json:"video,omitempty"`
	Frame *int        `json:"frame,omitempty"`
}

// HashSet is an imported set of known hashes: hashes and categories, never content.
type HashSet struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Format       string    `json:"format"` // "vics" or "csv"
	SourceSHA256 string    `json:"sourceSha256"`
	Entries      int64     `json:"entries"`
	ImportedBy   string    `json:"importedBy"`
	ImportedAt   time.Time `json:"importedAt"`
	// Matched is how many recorded contents the import found in the set.
	Matched int64 `json:"matched"`
}

// KnownHash is one entry of a known-hash set. Hashes are lower-case hex; at least one
// of MD5, SHA1, SHA256 and PDQ is set.
type KnownHash struct {
	MediaID            string
	Category           string
	MD5, SHA1, SHA256  string
	PDQ                string
	Size               int64
	VictimIdentified   *bool
	OffenderIdentified *bool
	IsDistributed      *bool
	Series             string
}

// NewHashSet is a set to import: its name, format, the SHA-256 of the file it came from,
// and its entries, which Entries passes to yield one by one (stopping at yield's first
// error) and returns the reader's own error, if any.
type NewHashSet struct {
	Name         string
	Format       string
	SourceSHA256 string
	Entries      func(yield func(KnownHash) error) error
}

// HashSetService keeps known-hash sets. Importing is for administrators (and the
// console); every member reads which sets exist.
type HashSetService interface {
	// ImportHashSet imports a set in one transaction, and matches every recorded
	// content against it. Bad input (an invalid entry, a name already used) changes
	// nothing: EINVALID or ECONFLICT with what was wrong.
	ImportHashSet(ctx context.Context, ns NewHashSet) (*HashSet, error)
	// FindHashSets lists the imported sets.
	FindHashSets(ctx context.Context) ([]*HashSet, error)
	// ExportMediaHashes calls fn for every distinct content of a case, with its hashes
	// and the category of a known set it matched ("" if none), for exchange as VICS.
	ExportMediaHashes(ctx context.Context, caseID string, fn func(KnownHash) error) error
}
