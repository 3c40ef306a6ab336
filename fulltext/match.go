package fulltext

import (
	"strconv"
	"strings"
)

// A Rewrite gives the stored form of a query key: Stored, or, for a key the index
// holds only under a keyed token (a victim's name, see the store), that token.
type Rewrite func(key string) string

// FTS5 returns the query's words as an SQLite FTS5 match expression, or "" if the
// query has no word that must be found. Every term is a quoted string of [a-z0-9_],
// so no input reaches FTS5's own syntax:
//
//	"husain" AND "khan wala" AND "pap" * NOT "camera"
func (q *Query) FTS5(rw Rewrite) string {
	var pos, neg []string
	for _, t := range q.Terms {
		e := `"` + strings.Join(storedKeys(t.Keys, rw), " ") + `"`
		if t.Prefix {
			e += " *"
		}
		if t.Not {
			neg = append(neg, e)
		} else {
			pos = append(pos, e)
		}
	}
	if len(pos) == 0 {
		return ""
	}
	out := strings.Join(pos, " AND ")
	if len(neg) > 0 {
		out = "(" + out + ") NOT " + strings.Join(neg, " NOT ")
	}
	return out
}

// TSQuery returns the query's words as a PostgreSQL tsquery in its text form, to be
// cast (never parsed by a configuration), or "" if no word must be found:
//
//	'husain' & ( 'khan' <-> 'wala' ) & 'pap':* & !'camera'
func (q *Query) TSQuery(rw Rewrite) string {
	var pos, neg []string
	for _, t := range q.Terms {
		keys := storedKeys(t.Keys, rw)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = "'" + k + "'"
		}
		if t.Prefix {
			parts[len(parts)-1] += ":*"
		}
		e := parts[0]
		if len(parts) > 1 {
			e = "( " + strings.Join(parts, " <-> ") + " )"
		}
		if t.Not {
			neg = append(neg, "!"+e)
		} else {
			pos = append(pos, e)
		}
	}
	if len(pos) == 0 {
		return ""
	}
	return strings.Join(append(pos, neg...), " & ")
}

func storedKeys(keys []string, rw Rewrite) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if rw != nil {
			out[i] = rw(k)
		} else {
			out[i] = Stored(k)
		}
	}
	return out
}

// TSVector returns stored terms as a PostgreSQL tsvector in its text form, to be cast:
// each term with its positions (1-based, as to_tsvector numbers them), 'husain':1
// 'khan':2,7. Chunks keep positions under PostgreSQL's limit of 16,383. A term holds at
// most 255 positions in a tsvector (PostgreSQL's limit is 256 and drops the rest); its
// later occurrences are still found as words, not in phrases.
func TSVector(stored []string) string {
	pos := make(map[string][]int, len(stored))
	order := make([]string, 0, len(stored))
	for i, s := range stored {
		if _, ok := pos[s]; !ok {
			order = append(order, s)
		}
		if len(pos[s]) < 255 {
			pos[s] = append(pos[s], i+1)
		}
	}
	var b strings.Builder
	b.Grow(len(stored) * 10)
	for i, s := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(s)
		b.WriteString("':")
		for j, p := range pos[s] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
		}
	}
	return b.String()
}
