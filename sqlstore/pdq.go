package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"caseroom"
	"caseroom/hashindex"
	"caseroom/pdq"
)

// pdqIndex is the in-memory search index over every PDQ hash the store holds that can
// be matched: image contents of quality >= MinMatchQuality and known-hash set entries
// with a PDQ hash. It holds the rows committed up to audit entry mark, and is brought
// up to date from the database before each use (rows are never changed, only added),
// so another process writing the same store is seen too.
type pdqIndex struct {
	mu   sync.Mutex
	idx  *hashindex.Index
	refs []pdqRef // by index id
	mark int64
}

// pdqRef is what an indexed hash belongs to.
type pdqRef struct {
	known bool   // a hash set entry (else a content)
	key   string // the entry's id or the content's SHA-256
}

// pdqCandidate is a hash matched within the radius: what it belongs to, the distance,
// and which of the query's orientations matched.
type pdqCandidate struct {
	ref         pdqRef
	distance    int
	orientation int
}

// refresh adds the rows committed since the last refresh. q must not be a write
// transaction's: only committed rows belong in the index.
func (x *pdqIndex) refresh(ctx context.Context, q querier) (mark int64, err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil {
		x.idx = hashindex.New()
	}
	newMark := x.mark
	var hashes []pdq.Hash
	var refs []pdqRef
	add := func(known bool) func(scan func(...any) error) error {
		return func(scan func(...any) error) error {
			var key, hex string
			var entry int64
			if err := scan(&key, &hex, &entry); err != nil {
				return err
			}
			h, err := pdq.ParseHash(hex)
			if err != nil {
				return fmt.Errorf("stored PDQ hash of %s: %w", key, err)
			}
			hashes, refs = append(hashes, h), append(refs, pdqRef{known, key})
			newMark = max(newMark, entry)
			return nil
		}
	}
	err = scanEach(ctx, q, `SELECT sha256, pdq, entry FROM content_pdq WHERE entry > ? AND quality >= ? ORDER BY entry`,
		[]any{x.mark, caseroom.MinMatchQuality}, add(false))
	if err == nil {
		err = scanEach(ctx, q, `SELECT id, pdq, entry FROM hash_set_entries WHERE entry > ? AND pdq IS NOT NULL ORDER BY entry`,
			[]any{x.mark}, add(true))
	}
	if err != nil {
		return x.mark, err
	}
	// All at once: the index builds its tables once, without a peak of garbage.
	x.idx.AddAll(hashes)
	x.refs = append(x.refs, refs...)
	x.mark = newMark
	return x.mark, nil
}

// search returns everything in the index within MatchRadius of any of the forms, each
// once with its smallest distance.
func (x *pdqIndex) search(forms []pdq.Hash) []pdqCandidate {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil {
		return nil
	}
	var out []pdqCandidate
	for o, h := range forms {
		for _, m := range x.idx.Query(h, caseroom.MatchRadius) {
			out = append(out, pdqCandidate{x.refs[m.ID], m.Distance, o})
		}
	}
	return out
}

// parseDihedral reads an ImageHash's forms, refusing anything but 8 valid hashes.
func parseDihedral(im *caseroom.ImageHash) ([]pdq.Hash, error) {
	forms := make([]pdq.Hash, 0, 8)
	for _, s := range im.Dihedral {
		h, err := pdq.ParseHash(s)
		if err != nil {
			return nil, err
		}
		forms = append(forms, h)
	}
	return forms, nil
}

// matchesPDQ finds what a content's forms match: the index (committed rows up to mark)
// and, read in tx, the rows added since (committed since, or earlier in tx), by brute
// force; closest first per match target.
func (tx *Tx) matchesPDQ(sha256 string, forms []pdq.Hash, mark int64) ([]pdqCandidate, error) {
	cands := tx.db.pdq.search(forms)
	scan := func(known bool) func(scan func(...any) error) error {
		return func(scan func(...any) error) error {
			var key, hex string
			if err := scan(&key, &hex); err != nil {
				return err
			}
			h, err := pdq.ParseHash(hex)
			if err != nil {
				return fmt.Errorf("stored PDQ hash of %s: %w", key, err)
			}
			for o := range forms {
				if d := pdq.Distance(&forms[o], &h); d <= caseroom.MatchRadius {
					cands = append(cands, pdqCandidate{pdqRef{known, key}, d, o})
				}
			}
			return nil
		}
	}
	if err := scanEach(tx.ctx, tx, `SELECT sha256, pdq FROM content_pdq WHERE entry > ? AND quality >= ?`, []any{mark, caseroom.MinMatchQuality}, scan(false)); err != nil {
		return nil, err
	}
	if err := scanEach(tx.ctx, tx, `SELECT id, pdq FROM hash_set_entries WHERE entry > ? AND pdq IS NOT NULL`, []any{mark}, scan(true)); err != nil {
		return nil, err
	}
	best := map[pdqRef]pdqCandidate{}
	for _, c := range cands {
		if !c.ref.known && c.ref.key == sha256 {
			continue
		}
		if b, ok := best[c.ref]; !ok || c.distance < b.distance || (c.distance == b.distance && c.orientation < b.orientation) {
			best[c.ref] = c
		}
	}
	out := make([]pdqCandidate, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	return out, nil
}

// exactKnown returns the known-hash set entries whose SHA-256, SHA-1 or MD5 equals the
// content's, with the strongest digest that matched.
func (tx *Tx) exactKnown(sha256, sha1, md5 string) (map[string]string, error) {
	out := map[string]string{}
	err := scanEach(tx.ctx, tx, `SELECT id, sha256, sha1, md5 FROM hash_set_entries WHERE sha256 = ? OR sha1 = ? OR md5 = ?`,
		[]any{sha256, sha1, md5}, func(scan func(...any) error) error {
			var id string
			var s256, s1, m5 *string
			if err := scan(&id, &s256, &s1, &m5); err != nil {
				return err
			}
			switch {
			case s256 != nil && *s256 == sha256:
				out[id] = "sha256"
			case s1 != nil && *s1 == sha1:
				out[id] = "sha1"
			default:
				out[id] = "md5"
			}
			return nil
		})
	return out, err
}

// insertMatch records one match under entry seq, adds its row to the entry's state and
// returns its id.
func (tx *Tx) insertMatch(seq int64, state map[string][]map[string]any, sha256, kind, other, method string, distance int, orientation string) (string, error) {
	id := newID(prefixMatch)
	if err := tx.exec(`INSERT INTO matches (id, sha256, kind, other, method, distance, orientation, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, sha256, kind, other, method, distance, orientation, seq); err != nil {
		return "", fmt.Errorf("insert match: %w", err)
	}
	state["matches"] = append(state["matches"], map[string]any{"id": id, "sha256": sha256, "kind": kind, "other": other,
		"method": method, "distance": int64(distance), "orientation": orientation, "entry": seq})
	return id, nil
}

// matchMarks are the audit entries up to which the in-memory indexes held the committed
// rows when a batch began (see pdqIndex.refresh).
type matchMarks struct{ pdq, frames int64 }

// recordContentMatches records a new content's perceptual hash and what it matches: known
// entries by equal digest, known entries and other contents by PDQ, and for a video
// by vPDQ (see recordVideoMatches). marks are the indexes' (see matchesPDQ).
func (tx *Tx) recordContentMatches(seq int64, state map[string][]map[string]any, f caseroom.NewMedia, marks matchMarks) error {
	exact, err := tx.exactKnownOf(f)
	if err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(exact)) {
		if _, err := tx.insertMatch(seq, state, f.SHA256, "known", id, exact[id], 0, ""); err != nil {
			return err
		}
	}
	if f.Video != nil {
		if err := tx.recordVideoMatches(seq, state, f, marks.frames, marks.pdq); err != nil {
			return err
		}
	}
	if f.Image != nil {
		return tx.recordImageMatches(seq, state, f, marks.pdq, exact)
	}
	return nil
}

// exactKnownOf returns the known entries whose digest equals the content's. An empty
// file's digests are in some sets; they say nothing about a seized file.
func (tx *Tx) exactKnownOf(f caseroom.NewMedia) (map[string]string, error) {
	if f.Size <= 0 {
		return map[string]string{}, nil
	}
	return tx.exactKnown(f.SHA256, f.SHA1, f.MD5)
}

// recordImageMatches records an image content's PDQ hash (f.Image) and what it matches
// by PDQ: known entries (but those in exact, matched by digest already) and other
// contents within MatchRadius, in any of the eight orientations.
func (tx *Tx) recordImageMatches(seq int64, state map[string][]map[string]any, f caseroom.NewMedia, pdqMark int64, exact map[string]string) error {
	im := f.Image
	if err := tx.exec(`INSERT INTO content_pdq (sha256, pdq, quality, dihedral, entry) VALUES (?, ?, ?, ?, ?)`,
		f.SHA256, im.PDQ, im.Quality, strings.Join(im.Dihedral[:], ","), seq); err != nil {
		return fmt.Errorf("insert content_pdq: %w", err)
	}
	state["content_pdq"] = []map[string]any{{"sha256": f.SHA256, "pdq": im.PDQ, "quality": int64(im.Quality),
		"dihedral": strings.Join(im.Dihedral[:], ","), "entry": seq}}
	if im.Quality < caseroom.MinMatchQuality {
		return nil
	}
	forms, err := parseDihedral(im)
	if err != nil {
		return err
	}
	cands, err := tx.matchesPDQ(f.SHA256, forms, pdqMark)
	if err != nil {
		return err
	}
	slices.SortFunc(cands, func(a, b pdqCandidate) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), cmp.Compare(a.ref.key, b.ref.key))
	})
	for _, c := range cands {
		kind := "content"
		if c.ref.known {
			if _, ok := exact[c.ref.key]; ok {
				continue // matched exactly already
			}
			kind = "known"
		}
		if _, err := tx.insertMatch(seq, state, f.SHA256, kind, c.ref.key, "pdq", c.distance, caseroom.DihedralNames[c.orientation]); err != nil {
			return err
		}
	}
	return nil
}

// recordMissingHashes records the perceptual hashes f carries for a content that is
// held already but has none of that kind (recorded before ingest gave every occurrence
// of a content its hash, or by a run that could not hash it), with what they match.
// hashed says which of the contents have which hashes (see perceptualHashes); it is
// updated.
func (tx *Tx) recordMissingHashes(seq int64, state map[string][]map[string]any, f caseroom.NewMedia, marks matchMarks, hashed map[string]hashKinds) error {
	have := hashed[f.SHA256]
	addImage, addVideo := f.Image != nil && !have.image, f.Video != nil && !have.video
	if !addImage && !addVideo {
		return nil
	}
	if addVideo {
		if err := tx.recordVideoMatches(seq, state, f, marks.frames, marks.pdq); err != nil {
			return err
		}
		have.video = true
	}
	if addImage {
		exact, err := tx.exactKnownOf(f)
		if err != nil {
			return err
		}
		if err := tx.recordImageMatches(seq, state, f, marks.pdq, exact); err != nil {
			return err
		}
		have.image = true
	}
	hashed[f.SHA256] = have
	return nil
}

// hashKinds says which perceptual hashes a content has.
type hashKinds struct{ image, video bool }

// perceptualHashes returns which of the contents sums have a PDQ or a vPDQ hash.
func perceptualHashes(ctx context.Context, q querier, sums []any) (map[string]hashKinds, error) {
	out := map[string]hashKinds{}
	if len(sums) == 0 {
		return out, nil
	}
	for _, table := range []string{"content_pdq", "content_vpdq"} {
		err := scanEach(ctx, q, `SELECT sha256 FROM `+table+` WHERE sha256 IN (`+placeholders(len(sums))+`)`, sums, func(scan func(...any) error) error {
			var sum string
			if err := scan(&sum); err != nil {
				return err
			}
			k := out[sum]
			if table == "content_pdq" {
				k.image = true
			} else {
				k.video = true
			}
			out[sum] = k
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// validImageHash checks a perceptual hash given with a new content: nil, or a PDQ hash,
// a quality of 0 to 100, and eight valid forms.
func validImageHash(im *caseroom.ImageHash) error {
	if im == nil {
		return nil
	}
	if !lowerHex(im.PDQ, 64) {
		return fmt.Errorf("pdq %q is not 64 lower-case hex characters", im.PDQ)
	}
	if im.Quality < 0 || im.Quality > 100 {
		return fmt.Errorf("quality %d is not 0 to 100", im.Quality)
	}
	for i, s := range im.Dihedral {
		if !lowerHex(s, 64) {
			return fmt.Errorf("%s form %q is not 64 lower-case hex characters", caseroom.DihedralNames[i], s)
		}
	}
	return nil
}
