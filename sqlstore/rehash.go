package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"caseroom"
)

// mayRepairContents refuses an actor other than the console operator or an
// administrator: contents are held across cases, and repairing them is the operator's.
func mayRepairContents(ctx context.Context) error {
	actor, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !actor.IsConsole() && !actor.Admin {
		return caseroom.Errorf(caseroom.EFORBIDDEN, "Only the console operator or an administrator can repair stored contents.")
	}
	return nil
}

// UnhashedContents returns the image contents held without a PDQ hash and the video
// contents without a vPDQ hash, in order of SHA-256, each as a NewMedia without a path
// (its digests, size, type and metadata): what caseroom ingest --rehash hashes. A
// content that cannot be hashed (damaged, or of a format the hashers do not read) is
// listed every time. Returns EFORBIDDEN to all but the console and administrators.
func (db *DB) UnhashedContents(ctx context.Context) ([]caseroom.NewMedia, error) {
	if err := mayRepairContents(ctx); err != nil {
		return nil, err
	}
	var out []caseroom.NewMedia
	err := scanEach(ctx, db.reader(), `SELECT c.sha256, c.sha1, c.md5, c.size, c.mime, c.meta FROM contents c
		WHERE (c.mime LIKE 'image/%' AND NOT EXISTS (SELECT 1 FROM content_pdq p WHERE p.sha256 = c.sha256))
		   OR (c.mime LIKE 'video/%' AND NOT EXISTS (SELECT 1 FROM content_vpdq v WHERE v.sha256 = c.sha256))
		ORDER BY c.sha256`, nil, func(scan func(...any) error) error {
		var m caseroom.NewMedia
		var meta string
		if err := scan(&m.SHA256, &m.SHA1, &m.MD5, &m.Size, &m.MIME, &meta); err != nil {
			return err
		}
		if meta != "" {
			if err := json.Unmarshal([]byte(meta), &m.Meta); err != nil {
				return fmt.Errorf("content %s: metadata: %w", m.SHA256, err)
			}
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// RecordContentHashes records the perceptual hashes c carries (c.Image, c.Video) for a
// content held without them, with what they match (known-set entries and the other
// contents, as at ingest), under one audit entry (content.hash). A hash of a kind the
// content has already is left as it is. It reports whether anything was recorded.
// Returns EINVALID for a malformed hash, ENOTFOUND for a content not held, EFORBIDDEN
// to all but the console and administrators.
func (db *DB) RecordContentHashes(ctx context.Context, c caseroom.NewMedia) (bool, error) {
	if err := mayRepairContents(ctx); err != nil {
		return false, err
	}
	if !lowerHex(c.SHA256, 64) {
		return false, caseroom.Errorf(caseroom.EINVALID, "sha256: 64 lower-case hex characters")
	}
	if err := validImageHash(c.Image); err != nil {
		return false, caseroom.Errorf(caseroom.EINVALID, "image: %v", err)
	}
	if err := validVideoHash(c.Video); err != nil {
		return false, caseroom.Errorf(caseroom.EINVALID, "video: %v", err)
	}
	var marks matchMarks
	var err error
	if marks.pdq, err = db.pdq.refresh(ctx, db.reader()); err != nil {
		return false, err
	}
	if marks.frames, err = db.frames.refresh(ctx, db.reader()); err != nil {
		return false, err
	}
	recorded := false
	err = db.write(ctx, func(tx *Tx) error {
		recorded = false
		// The content as held: its digests and size decide its exact matches.
		var held caseroom.NewMedia
		err := tx.QueryRowContext(tx.ctx, `SELECT sha256, sha1, md5, size FROM contents WHERE sha256 = ?`, c.SHA256).
			Scan(&held.SHA256, &held.SHA1, &held.MD5, &held.Size)
		if isNoRows(err) {
			return caseroom.Errorf(caseroom.ENOTFOUND, "No content with SHA-256 %s is held.", c.SHA256)
		}
		if err != nil {
			return err
		}
		held.Image, held.Video = c.Image, c.Video
		hashed, err := perceptualHashes(tx.ctx, tx, []any{c.SHA256})
		if err != nil {
			return err
		}
		have := hashed[c.SHA256]
		if (c.Image == nil || have.image) && (c.Video == nil || have.video) {
			return nil
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		state := map[string][]map[string]any{}
		if err := tx.recordMissingHashes(seq, state, held, marks, hashed); err != nil {
			return err
		}
		recorded = true
		return tx.appendAuditState(seq, "content.hash", "content", c.SHA256, "", state)
	})
	return recorded, err
}
