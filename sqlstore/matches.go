package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"caseroom"
)

// inCase is the SQL condition that a content (column col) is found in the case given as
// the next argument.
func inCase(col string) string {
	return col + ` IN (SELECT sha256 FROM media WHERE case_id = ?)`
}

// caseClusters groups a case's contents linked by PDQ matches (both found in the case)
// into clusters of near-duplicates; it returns each clustered content's cluster name
// (the smallest SHA-256 in it) and the size of each cluster by name.
func caseClusters(ctx context.Context, q querier, caseID string) (map[string]string, map[string]int, error) {
	parent := map[string]string{}
	var find func(string) string
	find = func(s string) string {
		p, ok := parent[s]
		if !ok || p == s {
			parent[s] = s
			return s
		}
		r := find(p)
		parent[s] = r
		return r
	}
	err := scanEach(ctx, q, `SELECT m.sha256, m.other FROM matches m WHERE m.kind = 'content' AND `+inCase("m.sha256")+` AND `+inCase("m.other"),
		[]any{caseID, caseID}, func(scan func(...any) error) error {
			var a, b string
			if err := scan(&a, &b); err != nil {
				return err
			}
			ra, rb := find(a), find(b)
			if ra != rb {
				// The smaller SHA-256 is the root, so the root names the cluster.
				parent[max(ra, rb)] = min(ra, rb)
			}
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("clusters: %w", err)
	}
	names, sizes := map[string]string{}, map[string]int{}
	for s := range parent {
		r := find(s)
		names[s] = r
		sizes[r]++
	}
	return names, sizes, nil
}

// addMatches fills in the perceptual hash, the matches and the cluster of the listed
// media (bySum: the page's media by content). clusters are the case's clusters as
// caseClusters names them, if the caller worked them out already; nil to work them out.
func addMatches(ctx context.Context, q querier, caseID string, bySum map[string][]*caseroom.Media, clusters map[string]string) error {
	if len(bySum) == 0 {
		return nil
	}
	if clusters == nil {
		var err error
		if clusters, _, err = caseClusters(ctx, q, caseID); err != nil {
			return err
		}
	}
	sums := make([]any, 0, len(bySum))
	for s, ms := range bySum {
		sums = append(sums, s)
		for _, m := range ms {
			m.Cluster = clusters[s]
		}
	}
	others := map[string][]*caseroom.MediaMatch{} // content matches by the other content, to locate
	for start := 0; start < len(sums); start += 400 {
		chunk := sums[start:min(start+400, len(sums))]
		in := `(` + placeholders(len(chunk)) + `)`
		err := scanEach(ctx, q, `SELECT sha256, pdq, quality FROM content_pdq WHERE sha256 IN `+in, chunk, func(scan func(...any) error) error {
			var sum, h string
			var quality int
			if err := scan(&sum, &h, &quality); err != nil {
				return err
			}
			for _, m := range bySum[sum] {
				m.PDQ, m.PDQQuality = h, quality
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("perceptual hashes: %w", err)
		}
		err = scanEach(ctx, q, `SELECT sha256, frame_count, seconds_per_hash FROM content_vpdq WHERE sha256 IN `+in, chunk, func(scan func(...any) error) error {
			var sum, sph string
			var frames int
			if err := scan(&sum, &frames, &sph); err != nil {
				return err
			}
			every, err := strconv.ParseFloat(sph, 64)
			if err != nil {
				return fmt.Errorf("video %s: seconds per hash %q: %w", sum, sph, err)
			}
			for _, m := range bySum[sum] {
				m.VideoFrames, m.VideoSecondsPerHash = frames, every
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("video hashes: %w", err)
		}
		err = scanEach(ctx, q, `SELECT m.sha256, m.method, m.distance, m.orientation, s.name, COALESCE(e.category, ''), COALESCE(e.media_id, ''), COALESCE(e.series, ''), v.frame
			FROM matches m JOIN hash_set_entries e ON e.id = m.other JOIN hash_sets s ON s.id = e.set_id LEFT JOIN video_matches v ON v.match_id = m.id
			WHERE m.kind = 'known' AND m.sha256 IN `+in, chunk, func(scan func(...any) error) error {
			var sum string
			var frame *int64
			mm := caseroom.MediaMatch{Kind: "known"}
			if err := scan(&sum, &mm.By, &mm.Distance, &mm.Orientation, &mm.HashSet, &mm.Category, &mm.KnownMediaID, &mm.Series, &frame); err != nil {
				return err
			}
			if frame != nil {
				n := int(*frame)
				mm.Frame = &n
			}
			for _, m := range bySum[sum] {
				m.Matches = append(m.Matches, mm)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("known matches: %w", err)
		}
		// Matches between contents, either way round, where the other is in the case.
		args := append(append(append([]any{}, chunk...), chunk...), caseID, caseID)
		err = scanEach(ctx, q, `SELECT m.sha256, m.other, m.method, m.distance, m.orientation, v.this_pct, v.other_pct FROM matches m
			LEFT JOIN video_matches v ON v.match_id = m.id
			WHERE m.kind = 'content' AND (m.sha256 IN `+in+` OR m.other IN `+in+`) AND `+inCase("m.sha256")+` AND `+inCase("m.other"), args,
			func(scan func(...any) error) error {
				var a, b, by, orientation string
				var d int
				var thisPct, otherPct *string
				if err := scan(&a, &b, &by, &d, &orientation, &thisPct, &otherPct); err != nil {
					return err
				}
				for _, side := range [][2]string{{a, b}, {b, a}} {
					for _, m := range bySum[side[0]] {
						mm := caseroom.MediaMatch{Kind: "media", By: by, Distance: d, SHA256: side[1]}
						if side[0] == a {
							mm.Orientation = orientation // which form of this file matched
						}
						if thisPct != nil && otherPct != nil {
							// Percentages are stored from the side of the content recorded last.
							this, err1 := strconv.ParseFloat(*thisPct, 64)
							other, err2 := strconv.ParseFloat(*otherPct, 64)
							if err := cmp.Or(err1, err2); err != nil {
								return fmt.Errorf("video match %s-%s: %w", a, b, err)
							}
							if side[0] == b {
								this, other = other, this
							}
							mm.Video = &caseroom.VideoMatch{ThisInOther: this, OtherInThis: other}
						}
						m.Matches = append(m.Matches, mm)
					}
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("media matches: %w", err)
		}
	}
	for _, ms := range bySum {
		for _, m := range ms {
			for i := range m.Matches {
				if mm := &m.Matches[i]; mm.Kind == "media" {
					others[mm.SHA256] = append(others[mm.SHA256], mm)
				}
			}
		}
	}
	if err := locate(ctx, q, caseID, others); err != nil {
		return err
	}
	for _, ms := range bySum {
		for _, m := range ms {
			slices.SortFunc(m.Matches, func(a, b caseroom.MediaMatch) int {
				return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.HashSet+a.SHA256, b.HashSet+b.SHA256))
			})
		}
	}
	return nil
}

// locate sets where in the case each matched content was found.
func locate(ctx context.Context, q querier, caseID string, others map[string][]*caseroom.MediaMatch) error {
	sums := make([]any, 0, len(others))
	for s := range others {
		sums = append(sums, s)
	}
	return locations(ctx, q, caseID, sums, func(sum string, loc caseroom.MediaLocation) {
		for _, mm := range others[sum] {
			mm.Locations = append(mm.Locations, loc)
		}
	})
}

// locations calls fn with every file of the case holding one of the contents sums, in
// the order they were recorded.
func locations(ctx context.Context, q querier, caseID string, sums []any, fn func(sum string, loc caseroom.MediaLocation)) error {
	for start := 0; start < len(sums); start += 400 {
		chunk := sums[start:min(start+400, len(sums))]
		err := scanEach(ctx, q, `SELECT m.id, m.sha256, x.ref, m.path FROM media m JOIN exhibits x ON x.id = m.exhibit_id
			WHERE m.case_id = ? AND m.sha256 IN (`+placeholders(len(chunk))+`) ORDER BY m.entry, m.id`, append([]any{caseID}, chunk...),
			func(scan func(...any) error) error {
				var loc caseroom.MediaLocation
				var sum string
				if err := scan(&loc.MediaID, &sum, &loc.ExhibitRef, &loc.Path); err != nil {
					return err
				}
				fn(sum, loc)
				return nil
			})
		if err != nil {
			return fmt.Errorf("locate contents: %w", err)
		}
	}
	return nil
}

// summariseMatches adds the matched-known count and the clusters to a case summary.
func summariseMatches(ctx context.Context, q querier, caseID string, s *caseroom.MediaSummary) error {
	err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT m.sha256) FROM matches m WHERE m.kind = 'known' AND `+inCase("m.sha256"), caseID).Scan(&s.MatchedKnown)
	if err != nil {
		return fmt.Errorf("summarise matches: %w", err)
	}
	_, sizes, err := caseClusters(ctx, q, caseID)
	if err != nil {
		return err
	}
	for _, n := range sizes {
		s.Clusters++
		s.LargestCluster = max(s.LargestCluster, int64(n))
	}
	return nil
}
