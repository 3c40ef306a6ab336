package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"caseroom"
	"caseroom/hashindex"
	"caseroom/pdq"
	"caseroom/vpdq"
)

var _ caseroom.HashSetService = (*DB)(nil)

const prefixHashSet, prefixHashSetEntry = "hst", "hse"

// hashSetChunk is how many entries (or matches) one audit entry of an import covers:
// the import is one transaction, logged in chunks so that no entry's state is huge.
const hashSetChunk = 2000

// chunkedAudit writes rows under audit entries of at most hashSetChunk rows each.
type chunkedAudit struct {
	tx       *Tx
	action   string
	objectID string
	seq      int64
	rows     int
	state    map[string][]map[string]any
}

// next returns the entry for the next row and its state, starting a new entry when the
// current one is full.
func (c *chunkedAudit) next() (int64, map[string][]map[string]any, error) {
	if c.state != nil && c.rows >= hashSetChunk {
		if err := c.flush(); err != nil {
			return 0, nil, err
		}
	}
	if c.state == nil {
		seq, err := c.tx.reserveSeq()
		if err != nil {
			return 0, nil, err
		}
		c.seq, c.rows, c.state = seq, 0, map[string][]map[string]any{}
	}
	c.rows++
	return c.seq, c.state, nil
}

// flush writes the current entry, if it has rows.
func (c *chunkedAudit) flush() error {
	if c.state == nil {
		return nil
	}
	err := c.tx.appendAuditState(c.seq, c.action, "hash_set", c.objectID, "", c.state)
	c.state = nil
	return err
}

// ImportHashSet imports a known-hash set. See caseroom.HashSetService.
func (db *DB) ImportHashSet(ctx context.Context, ns caseroom.NewHashSet) (*caseroom.HashSet, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !actor.Admin {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can import a known-hash set.")
	}
	ns.Name = strings.TrimSpace(ns.Name)
	switch {
	case ns.Name == "" || len(ns.Name) > 200 || !utf8.ValidString(ns.Name):
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: required, at most 200 bytes of UTF-8")
	case ns.Format != "vics" && ns.Format != "csv":
		return nil, caseroom.Errorf(caseroom.EINVALID, "format: %q is not vics or csv", ns.Format)
	case !lowerHex(ns.SourceSHA256, 64):
		return nil, caseroom.Errorf(caseroom.EINVALID, "sourceSha256: 64 lower-case hex characters")
	case ns.Entries == nil:
		return nil, caseroom.Errorf(caseroom.EINVALID, "entries: required")
	}
	var out *caseroom.HashSet
	err = db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM hash_sets WHERE name = ?`, ns.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return caseroom.Errorf(caseroom.ECONFLICT, "A known-hash set named %q is already imported.", ns.Name)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		hs := &caseroom.HashSet{ID: newID(prefixHashSet), Name: ns.Name, Format: ns.Format, SourceSHA256: ns.SourceSHA256,
			ImportedBy: tx.actor.Name, ImportedAt: tx.now}
		at := formatTime(tx.now)
		if err := tx.exec(`INSERT INTO hash_sets (id, name, format, source_sha256, imported_by, imported_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			hs.ID, hs.Name, hs.Format, hs.SourceSHA256, hs.ImportedBy, at, seq); err != nil {
			return fmt.Errorf("insert hash set: %w", err)
		}
		state := map[string][]map[string]any{"hash_sets": {{"id": hs.ID, "name": hs.Name, "format": hs.Format,
			"source_sha256": hs.SourceSHA256, "imported_by": hs.ImportedBy, "imported_at": at, "entry": seq}}}
		if err := tx.appendAuditState(seq, "hashset.import", "hash_set", hs.ID, "", state); err != nil {
			return err
		}

		entries := &chunkedAudit{tx: tx, action: "hashset.entries", objectID: hs.ID}
		index, indexed := hashindex.New(), []string{}
		err = ns.Entries(func(k caseroom.KnownHash) error {
			if err := validKnownHash(k); err != nil {
				return caseroom.Errorf(caseroom.EINVALID, "entry %d: %v", hs.Entries+1, err)
			}
			seq, state, err := entries.next()
			if err != nil {
				return err
			}
			hs.Entries++
			id := newID(prefixHashSetEntry)
			row := map[string]any{"id": id, "set_id": hs.ID, "seq": hs.Entries, "media_id": nullText(k.MediaID),
				"category": nullText(k.Category), "md5": nullText(k.MD5), "sha1": nullText(k.SHA1), "sha256": nullText(k.SHA256),
				"pdq": nullText(k.PDQ), "size": nullInt(k.Size), "victim_identified": nullBool(k.VictimIdentified),
				"offender_identified": nullBool(k.OffenderIdentified), "is_distributed": nullBool(k.IsDistributed),
				"series": nullText(k.Series), "entry": seq}
			if err := tx.exec(`INSERT INTO hash_set_entries (id, set_id, seq, media_id, category, md5, sha1, sha256, pdq, size,
				victim_identified, offender_identified, is_distributed, series, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, hs.ID, hs.Entries, row["media_id"], row["category"], row["md5"], row["sha1"], row["sha256"], row["pdq"], row["size"],
				row["victim_identified"], row["offender_identified"], row["is_distributed"], row["series"], seq); err != nil {
				return fmt.Errorf("insert hash set entry: %w", err)
			}
			state["hash_set_entries"] = append(state["hash_set_entries"], row)
			if k.PDQ != "" {
				h, _ := pdq.ParseHash(k.PDQ) // checked by validKnownHash
				index.Add(h)
				indexed = append(indexed, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := entries.flush(); err != nil {
			return err
		}
		if hs.Entries == 0 {
			return caseroom.Errorf(caseroom.EINVALID, "The file holds no entries.")
		}
		hs.Matched, err = tx.matchSetToContents(hs.ID, index, indexed)
		out = hs
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// matchSetToContents records the matches of every recorded content against a set just
// imported in tx: by equal digest, and by PDQ (any orientation of a content of quality
// >= MinMatchQuality) against the set's PDQ hashes in index (ids: indexed). It returns
// how many contents matched.
func (tx *Tx) matchSetToContents(setID string, index *hashindex.Index, indexed []string) (int64, error) {
	type pair struct{ content, entry string }
	type found struct {
		method, orientation string
		distance            int
		frame               int64 // for a video's match by vPDQ: the frame that matched
	}
	matched := map[pair]found{}
	rank := map[string]int{"sha256": 3, "sha1": 2, "md5": 1}
	for _, digest := range []string{"sha256", "sha1", "md5"} {
		err := scanEach(tx.ctx, tx, `SELECT c.sha256, e.id FROM hash_set_entries e JOIN contents c ON c.`+digest+` = e.`+digest+` WHERE e.set_id = ? AND c.size > 0`,
			[]any{setID}, func(scan func(...any) error) error {
				var p pair
				if err := scan(&p.content, &p.entry); err != nil {
					return err
				}
				if f, ok := matched[p]; !ok || rank[digest] > rank[f.method] {
					matched[p] = found{method: digest}
				}
				return nil
			})
		if err != nil {
			return 0, err
		}
	}
	if index.Len() > 0 {
		err := scanEach(tx.ctx, tx, `SELECT sha256, dihedral FROM content_pdq WHERE quality >= ?`, []any{caseroom.MinMatchQuality},
			func(scan func(...any) error) error {
				var sum, dihedral string
				if err := scan(&sum, &dihedral); err != nil {
					return err
				}
				for o, s := range strings.Split(dihedral, ",") {
					h, err := pdq.ParseHash(s)
					if err != nil {
						return fmt.Errorf("stored dihedral hash of %s: %w", sum, err)
					}
					for _, m := range index.Query(h, caseroom.MatchRadius) {
						p := pair{sum, indexed[m.ID]}
						if f, ok := matched[p]; !ok || (f.method == "pdq" && m.Distance < f.distance) {
							matched[p] = found{method: "pdq", orientation: caseroom.DihedralNames[o], distance: m.Distance}
						}
					}
				}
				return nil
			})
		if err != nil {
			return 0, err
		}
		// Videos: each entry once per video, by the video's closest frame.
		err = eachVideo(tx.ctx, tx, "", nil, func(sum string, frames []vpdq.Frame, _ int64) error {
			hashes, numbers := matchable(frames)
			for i, h := range hashes {
				for _, m := range index.Query(h, caseroom.MatchRadius) {
					p := pair{sum, indexed[m.ID]}
					if f, ok := matched[p]; !ok || (f.method == "vpdq" && m.Distance < f.distance) {
						matched[p] = found{method: "vpdq", distance: m.Distance, frame: int64(numbers[i])}
					}
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	pairs := make([]pair, 0, len(matched))
	for p := range matched {
		pairs = append(pairs, p)
	}
	sortPairs := func(a, b pair) int { return strings.Compare(a.content+a.entry, b.content+b.entry) }
	slices.SortFunc(pairs, sortPairs)
	audit := &chunkedAudit{tx: tx, action: "hashset.match", objectID: setID}
	contents := map[string]bool{}
	for _, p := range pairs {
		seq, state, err := audit.next()
		if err != nil {
			return 0, err
		}
		f := matched[p]
		id, err := tx.insertMatch(seq, state, p.content, "known", p.entry, f.method, f.distance, f.orientation)
		if err != nil {
			return 0, err
		}
		if f.method == "vpdq" {
			if err := tx.insertVideoMatch(seq, state, id, "", "", &f.frame); err != nil {
				return 0, err
			}
		}
		contents[p.content] = true
	}
	return int64(len(contents)), audit.flush()
}

// validKnownHash checks an entry to import: lower-case hex digests of the right
// lengths, at least one of them, and short text.
func validKnownHash(k caseroom.KnownHash) error {
	for _, d := range []struct {
		name, v string
		n       int
	}{{"md5", k.MD5, 32}, {"sha1", k.SHA1, 40}, {"sha256", k.SHA256, 64}, {"pdq", k.PDQ, 64}} {
		if d.v != "" && !lowerHex(d.v, d.n) {
			return fmt.Errorf("%s %q is not %d lower-case hex characters", d.name, d.v, d.n)
		}
	}
	if k.MD5 == "" && k.SHA1 == "" && k.SHA256 == "" && k.PDQ == "" {
		return fmt.Errorf("no hash: one of md5, sha1, sha256 and pdq is required")
	}
	for _, t := range []struct{ name, v string }{{"mediaId", k.MediaID}, {"category", k.Category}, {"series", k.Series}} {
		if len(t.v) > 1000 || !utf8.ValidString(t.v) {
			return fmt.Errorf("%s: at most 1000 bytes of UTF-8", t.name)
		}
	}
	if k.Size < 0 {
		return fmt.Errorf("size %d is negative", k.Size)
	}
	return nil
}

// nullText, nullInt and nullBool store absent values as NULL, in the form a canonical
// state holds them (text as string, integers as int64, NULL as nil).
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullBool(b *bool) any {
	switch {
	case b == nil:
		return nil
	case *b:
		return int64(1)
	}
	return int64(0)
}

// FindHashSets lists the imported sets. See caseroom.HashSetService.
func (db *DB) FindHashSets(ctx context.Context) ([]*caseroom.HashSet, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	out := []*caseroom.HashSet{}
	err := scanEach(ctx, db.reader(), `SELECT s.id, s.name, s.format, s.source_sha256, s.imported_by, s.imported_at,
		(SELECT COUNT(*) FROM hash_set_entries e WHERE e.set_id = s.id),
		(SELECT COUNT(DISTINCT m.sha256) FROM matches m JOIN hash_set_entries e ON e.id = m.other WHERE m.kind = 'known' AND e.set_id = s.id)
		FROM hash_sets s ORDER BY s.imported_at, s.id`, nil, func(scan func(...any) error) error {
		hs := &caseroom.HashSet{}
		var at string
		if err := scan(&hs.ID, &hs.Name, &hs.Format, &hs.SourceSHA256, &hs.ImportedBy, &at, &hs.Entries, &hs.Matched); err != nil {
			return err
		}
		t, err := parseTime(at)
		hs.ImportedAt = t
		out = append(out, hs)
		return err
	})
	return out, err
}

// ExportMediaHashes lists a case's contents with their hashes. See
// caseroom.HashSetService.
func (db *DB) ExportMediaHashes(ctx context.Context, caseID string, fn func(caseroom.KnownHash) error) error {
	if err := db.exhibitsReadable(ctx, caseID, "media"); err != nil {
		return err
	}
	return scanEach(ctx, db.reader(), `SELECT c.sha256, c.sha1, c.md5, c.size, p.pdq,
		(SELECT MIN(e.category) FROM matches m JOIN hash_set_entries e ON e.id = m.other WHERE m.kind = 'known' AND m.sha256 = c.sha256)
		FROM contents c LEFT JOIN content_pdq p ON p.sha256 = c.sha256
		WHERE c.sha256 IN (SELECT sha256 FROM media WHERE case_id = ?) ORDER BY c.sha256`, []any{caseID},
		func(scan func(...any) error) error {
			var k caseroom.KnownHash
			var p, cat *string
			if err := scan(&k.SHA256, &k.SHA1, &k.MD5, &k.Size, &p, &cat); err != nil {
				return err
			}
			if p != nil {
				k.PDQ = *p
			}
			if cat != nil {
				k.Category = *cat
			}
			return fn(k)
		})
}
