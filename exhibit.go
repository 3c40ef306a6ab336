package caseroom

import (
	"context"
	"time"
)

// ExhibitKind is what sort of item was seized.
type ExhibitKind string

// The kinds of exhibit.
const (
	ExhibitDisc     ExhibitKind = "disc"
	ExhibitPhone    ExhibitKind = "phone"
	ExhibitComputer ExhibitKind = "computer"
	ExhibitStorage  ExhibitKind = "storage"
	ExhibitDocument ExhibitKind = "document"
	ExhibitOther    ExhibitKind = "other"
)

// ExhibitKinds lists every exhibit kind.
var ExhibitKinds = []ExhibitKind{ExhibitDisc, ExhibitPhone, ExhibitComputer, ExhibitStorage, ExhibitDocument, ExhibitOther}

// CustodyEventKind is what happened to an exhibit.
type CustodyEventKind string

// The custody events, in the order an exhibit usually meets them.
const (
	CustodySeized      CustodyEventKind = "seized"
	CustodySealed      CustodyEventKind = "sealed"
	CustodyTransferred CustodyEventKind = "transferred"
	CustodyExamined    CustodyEventKind = "examined"
	CustodyCopied      CustodyEventKind = "copied"
	CustodyReturned    CustodyEventKind = "returned"
	CustodyDestroyed   CustodyEventKind = "destroyed"
)

// CustodyEventKinds lists every custody event kind.
var CustodyEventKinds = []CustodyEventKind{CustodySeized, CustodySealed, CustodyTransferred, CustodyExamined, CustodyCopied, CustodyReturned, CustodyDestroyed}

// Exhibit is a seized item (a disc, a phone), referenced in the officer-initials style
// (SB/3), with its chain of custody.
type Exhibit struct {
	ID          string      `json:"id"`
	CaseID      string      `json:"caseId"`
	Ref         string      `json:"ref"`
	Description string      `json:"description"`
	Kind        ExhibitKind `json:"kind"`
	// SeizedFrom is the person it was seized from, if known; SeizedFromLabel shows
	// them as elsewhere (a victim by pseudonym).
	SeizedFrom      string    `json:"seizedFrom,omitempty"`
	SeizedFromLabel string    `json:"seizedFromLabel,omitempty"`
	SeizedBy        string    `json:"seizedBy"`
	SeizedAt        time.Time `json:"seizedAt"`
	Place           string    `json:"place,omitempty"`
	// Holder is who holds it now, by the chain: "" once returned or destroyed.
	Holder       string          `json:"holder"`
	Custody      []*CustodyEvent `json:"custody"`
	RegisteredBy string          `json:"registeredBy"`
	RegisteredAt time.Time       `json:"registeredAt"`
	// Files is the number of files recorded as found in it.
	Files int64 `json:"files"`
}

// NewExhibit is what registering an exhibit takes. Registering records its seizure as
// the first custody event.
type NewExhibit struct {
	Ref         string      `json:"ref"`
	Description string      `json:"description"`
	Kind        ExhibitKind `json:"kind"`
	SeizedFrom  string      `json:"seizedFrom,omitempty"`
	SeizedBy    string      `json:"seizedBy,omitempty"` // default: the registering user
	SeizedAt    *time.Time  `json:"seizedAt"`
	Place       string      `json:"place,omitempty"`
	Seal        string      `json:"seal,omitempty"` // the seal number put on it at seizure, if any
}

// CustodyEvent is one link of an exhibit's chain of custody.
type CustodyEvent struct {
	ID         string           `json:"id"`
	Seq        int              `json:"seq"` // 1 for the seizure, then in order
	Event      CustodyEventKind `json:"event"`
	By         string           `json:"by"`           // who held the exhibit and did this
	To         string           `json:"to,omitempty"` // who received it (transferred, returned)
	At         time.Time        `json:"at"`
	Place      string           `json:"place,omitempty"`
	Seal       string           `json:"seal,omitempty"`
	Purpose    string           `json:"purpose,omitempty"`
	RecordedBy string           `json:"recordedBy"`
	RecordedAt time.Time        `json:"recordedAt"`
}

// NewCustodyEvent is what recording a custody event takes.
type NewCustodyEvent struct {
	Event   CustodyEventKind `json:"event"`
	By      string           `json:"by,omitempty"` // default: the recording user
	To      string           `json:"to,omitempty"`
	At      *time.Time       `json:"at"`
	Place   string           `json:"place,omitempty"`
	Seal    string           `json:"seal,omitempty"`
	Purpose string           `json:"purpose,omitempty"`
}

// MediaMeta is what is known of a file's content without showing it.
type MediaMeta struct {
	Width       int        `json:"width,omitempty"`
	Height      int        `json:"height,omitempty"`
	Camera      string     `json:"camera,omitempty"`
	TakenAt     *time.Time `json:"takenAt,omitempty"`
	Orientation int        `json:"orientation,omitempty"`
	Duration    float64    `json:"duration,omitempty"`
	Codec       string     `json:"codec,omitempty"`
	CreatedAt   *time.Time `json:"createdAt,omitempty"`
}

// Media is one file found in an exhibit. Its content is stored once, by SHA-256, however
// many exhibits hold it; AlsoFoundIn lists the case's other files with the same content.
type Media struct {
	ID          string          `json:"id"`
	CaseID      string          `json:"caseId"`
	ExhibitID   string          `json:"exhibitId"`
	ExhibitRef  string          `json:"exhibitRef"`
	Path        string          `json:"path"`
	ModTime     *time.Time      `json:"modTime,omitempty"`
	SHA256      string          `json:"sha256"`
	SHA1        string          `json:"sha1"`
	MD5         string          `json:"md5"`
	Size        int64           `json:"size"`
	MIME        string          `json:"mime"`
	Meta        MediaMeta       `json:"meta"`
	IngestedBy  string          `json:"ingestedBy"`
	IngestedAt  time.Time       `json:"ingestedAt"`
	AlsoFoundIn []MediaLocation `json:"alsoFoundIn"`
	// PDQ and PDQQuality are the content's perceptual hash, for an image.
	PDQ        string `json:"pdq,omitempty"`
	PDQQuality int    `json:"pdqQuality,omitempty"`
	// VideoFrames is the number of frames hashed of a video (vPDQ), and
	// VideoSecondsPerHash how far apart they are (0: every frame).
	VideoFrames         int     `json:"videoFrames,omitempty"`
	VideoSecondsPerHash float64 `json:"videoSecondsPerHash,omitempty"`
	// Matches are the content's matches to known-hash sets and to the case's other
	// contents; Cluster names its group of near-duplicates in the case (the smallest
	// SHA-256 in the group), empty when it has none.
	Matches []MediaMatch `json:"matches"`
	Cluster string       `json:"cluster,omitempty"`
}

// MediaLocation is where else a content was found: an exhibit and the path in it.
type MediaLocation struct {
	MediaID    string `json:"mediaId"`
	ExhibitRef string `json:"exhibitRef"`
	Path       string `json:"path"`
}

// NewMedia is a file to record, with the digests and facts of its content; its blob
// must already be durable in the blob store.
type NewMedia struct {
	Path string
	// By is who holds the exhibit the file is taken from, when a member records it:
	// the member by default. Bringing files into an exhibit is an examination of it,
	// refused as a custody event by someone else would be (Exhibit.CustodyAllows).
	// The console operator ingests as the holder directs, whoever holds it.
	By      string `json:"by,omitempty"`
	ModTime *time.Time
	SHA256  string
	SHA1    string
	MD5     string
	Size    int64
	MIME    string
	Meta    MediaMeta
	// Image is the content's perceptual hash, for an image that could be decoded.
	Image *ImageHash
	// Video is the content's vPDQ hash, for a video that could be decoded.
	Video *VideoHash
}

// MediaSummary counts a case's media: files found, distinct contents, copies (files
// whose content was found before), and bytes of all files.
type MediaSummary struct {
	Files       int64 `json:"files"`
	Unique      int64 `json:"unique"`
	Copies      int64 `json:"copies"`
	Bytes       int64 `json:"bytes"`
	UniqueBytes int64 `json:"uniqueBytes"`
	// MatchedKnown counts the case's contents that match a known-hash set; Clusters
	// the groups of two or more contents linked by PDQ matches (near-duplicates:
	// resized, re-encoded, rotated copies); LargestCluster the contents in the largest.
	MatchedKnown   int64 `json:"matchedKnown"`
	Clusters       int64 `json:"clusters"`
	LargestCluster int64 `json:"largestCluster"`
}

// MediaFilter narrows FindMedia. The filters combine: a file is listed if it passes
// every one that is set.
type MediaFilter struct {
	ID        string // only the file of this media id
	ExhibitID string // id or reference
	Path      string // only the file at this path (with ExhibitID)
	// Cluster keeps the files whose content is in the case's cluster of
	// near-duplicates of this name (see Media.Cluster).
	Cluster string
	// MatchedKnown keeps the files whose content matches a known-hash set.
	MatchedKnown bool
	Limit        int
	After        string // media id: the page after it
}

// ExhibitService keeps exhibits, their chains of custody and the files found in them.
// Exhibits are recorded by the lead, investigators, indexers and examiners; every member
// but an advocate reads them.
type ExhibitService interface {
	// RegisterExhibit records a seized item and its seizure. Returns EINVALID naming the
	// field, ECONFLICT for a reference already used in the case, EFORBIDDEN if the
	// actor may not record exhibits, ENOTFOUND for an unknown case.
	RegisterExhibit(ctx context.Context, caseID string, ne NewExhibit) (*Exhibit, error)
	// RecordCustody appends an event to an exhibit's chain. Returns ECONFLICT if the
	// chain would break: the event is by someone who does not hold the exhibit, comes
	// before the last one, or follows its return or destruction.
	RecordCustody(ctx context.Context, caseID, exhibit string, ev NewCustodyEvent) (*Exhibit, error)
	// FindExhibit returns an exhibit by id or reference, with its chain and the
	// number of its files. Returns ENOTFOUND if the case has no such exhibit.
	FindExhibit(ctx context.Context, caseID, exhibit string) (*Exhibit, error)
	// FindExhibits lists a case's exhibits in order of registration, each with its
	// chain and the number of its files.
	FindExhibits(ctx context.Context, caseID string) ([]*Exhibit, error)
	// RecordMedia records files found in an exhibit, in one transaction, each under
	// its own audit entry; a content seen for the first time is recorded with its
	// first file, or with its perceptual hashes by whichever of its files brings them
	// first (a content held without one gets it from a later file, and is matched).
	// Files already recorded at the same path are left as they are.
	// Returns how many were recorded. With no files it only checks that the actor may
	// record media in the exhibit (EFORBIDDEN, ENOTFOUND).
	RecordMedia(ctx context.Context, caseID, exhibit string, files []NewMedia) (int, error)
	// IngestedPaths returns the paths of the files already recorded for an exhibit,
	// with the size of each.
	IngestedPaths(ctx context.Context, caseID, exhibit string) (map[string]int64, error)
	// HasContent reports whether a content is recorded (and so its blob durable).
	HasContent(ctx context.Context, sha256 string) (bool, error)
	// FindMedia lists a case's files that pass the filter, in order of media id, with
	// where else each content was found in the case, its matches and its cluster; a
	// single file is read by its ID. Returns ENOTFOUND for an unknown case or exhibit
	// (a filter that matches no file gives an empty list), EFORBIDDEN for an advocate.
	FindMedia(ctx context.Context, caseID string, f MediaFilter) ([]*Media, error)
	// SummariseMedia counts a case's files, contents, copies and bytes.
	SummariseMedia(ctx context.Context, caseID string) (*MediaSummary, error)
}

// CustodyAllows refuses an act on the exhibit by someone other than its holder (a
// custody event, or files brought into it: an examination), or after its chain of
// custody has ended (returned or destroyed), with ECONFLICT saying who holds it.
func (x *Exhibit) CustodyAllows(by string) error {
	if len(x.Custody) == 0 {
		return Errorf(ECONFLICT, "Exhibit %s has no chain of custody.", x.Ref)
	}
	last := x.Custody[len(x.Custody)-1]
	switch {
	case x.Holder == "":
		return Errorf(ECONFLICT, "Exhibit %s was %s on %s; its chain of custody has ended.", x.Ref, last.Event, last.At.Format(time.RFC3339))
	case by != x.Holder:
		return Errorf(ECONFLICT, "by: %s does not hold exhibit %s; %s does (since %s event %d). Record the transfer first.", by, x.Ref, x.Holder, last.Event, last.Seq)
	}
	return nil
}
