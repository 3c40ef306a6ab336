package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"caseroom"
)

var _ caseroom.MediaViewService = (*DB)(nil)

const prefixMediaView = "mvw"

// mediaNotFound is the answer for a file the case does not hold.
func mediaNotFound(mediaID string) error {
	return caseroom.Errorf(caseroom.ENOTFOUND, "There is no file %q in this case.", mediaID)
}

// mediaFile returns the exhibit, path and content of a case's file, or ENOTFOUND.
func mediaFile(ctx context.Context, q querier, caseID, mediaID string) (exhibitID, path, sum string, err error) {
	err = q.QueryRowContext(ctx, `SELECT exhibit_id, path, sha256 FROM media WHERE case_id = ? AND id = ?`, caseID, mediaID).Scan(&exhibitID, &path, &sum)
	if isNoRows(err) {
		return "", "", "", mediaNotFound(mediaID)
	}
	return exhibitID, path, sum, err
}

// RecordMediaView records an examiner's view of a file's content. See
// caseroom.MediaViewService.
func (db *DB) RecordMediaView(ctx context.Context, caseID, mediaID, reason string) (*caseroom.MediaView, error) {
	reason = strings.TrimSpace(reason)
	var out *caseroom.MediaView
	var refused caseroom.Role
	err := db.write(ctx, func(tx *Tx) error {
		refused = ""
		if tx.actor.IsConsole() {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Media content is viewed by a case's examiner, signed in; not at the console.")
		}
		role, err := memberRole(tx.ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		// The role first: a member who may not view learns nothing of which files exist.
		// The attempt is recorded (an event: what was asked for, and why), as a refused
		// reveal of an identity is.
		if !role.CanViewMedia() {
			refused = role
			return tx.appendEvent("media.view.refused", "media", limitText(mediaID, 100), caseID,
				map[string]any{"media": mediaID, "role": string(role), "reason": reason})
		}
		_, _, sum, err := mediaFile(tx.ctx, tx, caseID, mediaID)
		if err != nil {
			return err
		}
		switch {
		case reason == "":
			return caseroom.Errorf(caseroom.EINVALID, "reason: required; say why you need to see this file's content")
		case len(reason) > caseroom.MaxViewReason || !utf8.ValidString(reason):
			return caseroom.Errorf(caseroom.EINVALID, "reason: at most %d bytes of text", caseroom.MaxViewReason)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		v := &caseroom.MediaView{ID: newID(prefixMediaView), CaseID: caseID, MediaID: mediaID, SHA256: sum,
			User: tx.actor.Name, Role: role, Reason: reason, At: tx.now}
		if err := tx.exec(`INSERT INTO media_views (id, case_id, media_id, sha256, user_name, role, reason, at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, caseID, mediaID, sum, v.User, string(role), reason, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("record media view: %w", err)
		}
		if err := tx.appendAudit(seq, "media.view", "media", mediaID, caseID); err != nil {
			return err
		}
		// As stored: the time to the store's precision.
		if v.At, err = parseTime(formatTime(tx.now)); err != nil {
			return err
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refused != "" {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot view media content; only the examiner can, with a reason. This request was recorded.", refused)
	}
	return out, nil
}

// FindMediaViews lists the views of a file's content. See caseroom.MediaViewService.
func (db *DB) FindMediaViews(ctx context.Context, caseID, mediaID string) ([]*caseroom.MediaView, error) {
	q := db.reader()
	if actor := caseroom.UserFromContext(ctx); actor.IsConsole() {
		if err := caseExists(ctx, q, caseID); err != nil {
			return nil, err
		}
	} else {
		_, role, err := db.readerRole(ctx, caseID)
		if err != nil {
			return nil, err
		}
		if !role.CanReadMediaViews() {
			return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot read who viewed media content; the lead, the examiner and oversight can.", role)
		}
	}
	if _, _, _, err := mediaFile(ctx, q, caseID, mediaID); err != nil {
		return nil, err
	}
	out := []*caseroom.MediaView{}
	err := scanEach(ctx, q, `SELECT id, case_id, media_id, sha256, user_name, role, reason, at FROM media_views WHERE case_id = ? AND media_id = ? ORDER BY entry`, []any{caseID, mediaID},
		func(scan func(...any) error) error {
			v := &caseroom.MediaView{}
			var role, at string
			if err := scan(&v.ID, &v.CaseID, &v.MediaID, &v.SHA256, &v.User, &role, &v.Reason, &at); err != nil {
				return err
			}
			v.Role = caseroom.Role(role)
			var err error
			if v.At, err = parseTime(at); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find media views: %w", err)
	}
	return out, nil
}

// limitText cuts s to at most n bytes on a rune boundary, for a value given by a user
// that goes into the audit log as an object id.
func limitText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
