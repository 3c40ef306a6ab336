package caseroom

import (
	"context"
	"time"
)

// MaxViewReason is the longest reason accepted for viewing a file's content, in bytes.
const MaxViewReason = 1000

// MediaView is an examiner's deliberate look at a seized file's content, shown only as
// a blurred greyscale thumbnail: who looked, at which file and content, when (the
// server's time) and why. Media content is never shown otherwise; every view is a
// record under the audit log.
type MediaView struct {
	ID      string    `json:"id"`
	CaseID  string    `json:"caseId"`
	MediaID string    `json:"mediaId"`
	SHA256  string    `json:"sha256"` // the content viewed
	User    string    `json:"user"`
	Role    Role      `json:"role"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
}

// CanViewMedia reports whether the role may view a seized file's content (as a blurred
// thumbnail, with a reason): the examiner only.
func (r Role) CanViewMedia() bool { return r == RoleExaminer }

// CanReadMediaViews reports whether the role reads who viewed a file's content: the
// lead, the examiner and oversight.
func (r Role) CanReadMediaViews() bool {
	switch r {
	case RoleLead, RoleExaminer, RoleOversight:
		return true
	}
	return false
}

// MediaViewService records and lists examiners' views of seized files' content. A
// file itself is read with ExhibitService.FindMedia, by its ID.
type MediaViewService interface {
	// RecordMediaView records that the acting examiner views the content of a file,
	// for the reason given, at the server's time, and returns the record; the caller
	// then shows the content as a blurred greyscale thumbnail, never stored. Returns
	// EFORBIDDEN for any role but the examiner, EINVALID for a missing or overlong
	// reason, ENOTFOUND for an unknown case or file. A refusal writes nothing.
	RecordMediaView(ctx context.Context, caseID, mediaID, reason string) (*MediaView, error)
	// FindMediaViews lists the views of a file's content, oldest first. Returns
	// EFORBIDDEN for a role that may not read them (see Role.CanReadMediaViews),
	// ENOTFOUND for an unknown case or file.
	FindMediaViews(ctx context.Context, caseID, mediaID string) ([]*MediaView, error)
}
