package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"caseroom/internal/jsonstr"
)

// recordTables lists every table whose rows are created under an audit entry, with the
// column that orders its rows. The canonical state of audit entry N is
//
//	{"<table>": [<row>, ...], ...}
//
// over the tables in this list that have rows with entry = N, each row an object of
// column name to value (text as a JSON string, integers and reals as JSON numbers, NULL
// as null), rows ordered by the key column, keys of every object sorted, encoded by
// encoding/json without indentation. The entry's state_hash is the hex SHA-256 of that
// encoding. Anyone with the database can recompute it; a row edited behind the
// server's back no longer matches.
var recordTables = []struct{ table, key string }{
	{"users", "id"},
	{"tokens", "id"},
	{"cases", "id"},
	{"memberships", "id"},
	{"persons", "id"},
	{"person_names", "id"},
	{"person_aliases", "id"},
	{"person_roles", "id"},
	{"pseudonyms", "person_id"},
	{"documents", "id"},
	{"statements", "document_id"},
	{"statement_presence", "id"},
	{"identifiers", "id"},
	{"organisations", "id"},
	{"locations", "id"},
	{"links", "id"},
	{"blind_index", "id"},
	{"identity_access", "id"},
	{"member_persons", "id"},
	{"person_details", "id"},
	{"token_revocations", "id"},
	{"account_status", "id"},
	{"totp_enrolments", "id"},
	{"audit_witnesses", "id"},
	{"exhibits", "id"},
	{"custody_events", "id"},
	{"contents", "sha256"},
	{"media", "id"},
	{"content_pdq", "sha256"},
	{"hash_sets", "id"},
	{"hash_set_entries", "id"},
	{"matches", "id"},
	{"content_vpdq", "sha256"},
	{"video_matches", "match_id"},
	{"actions", "id"},
	{"action_subjects", "id"},
	{"action_events", "id"},
	{"decisions", "id"},
	{"action_consents", "id"},
	{"arrests", "id"},
	{"arrest_grounds", "id"},
	{"retractions", "document_id"},
	{"safeguard_rules", "id"},
	{"contacts", "id"},
	{"arrest_productions", "id"},
	{"media_views", "id"},
	{"sign_in_tallies", "id"},
	{"endpoints", "id"},
	{"payments", "id"},
	{"comm_imports", "id"},
	{"comm_import_done", "import_id"},
	{"communications", "id"},
	{"comm_import_batches", "id"},
	{"searches", "id"},
	{"identifier_e164", "identifier_id"},
	{"exports", "id"},
}

// sortState puts the rows of each table of a state given by a writer (see
// appendAuditState) in the order entryState reads them: by the table's key column.
func sortState(state map[string][]map[string]any) {
	for _, t := range recordTables {
		if rows := state[t.table]; len(rows) > 1 {
			slices.SortFunc(rows, func(a, b map[string]any) int {
				return strings.Compare(fmt.Sprint(a[t.key]), fmt.Sprint(b[t.key]))
			})
		}
	}
}

// EntryState returns the canonical state of audit entry seq as defined above.
func EntryState(ctx context.Context, q querier, seq int64) (map[string][]map[string]any, error) {
	return entryState(ctx, q, seq, nil)
}

// entryState reads the rows of entry seq; if only is not nil, from those tables alone
// (a write transaction knows which tables it inserted into).
func entryState(ctx context.Context, q querier, seq int64, only map[string]bool) (map[string][]map[string]any, error) {
	state := map[string][]map[string]any{}
	for _, t := range recordTables {
		if only != nil && !only[t.table] {
			continue
		}
		rows, err := q.QueryContext(ctx, `SELECT * FROM `+t.table+` WHERE entry = ? ORDER BY `+t.key, seq)
		if err != nil {
			return nil, fmt.Errorf("read %s of entry %d: %w", t.table, seq, err)
		}
		err = scanRows(rows, func(cols []string, vals []any) error {
			state[t.table] = append(state[t.table], canonicalRow(cols, vals))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s of entry %d: %w", t.table, seq, err)
		}
	}
	return state, nil
}

// canonicalRow maps a scanned row to its canonical object.
func canonicalRow(cols []string, vals []any) map[string]any {
	row := make(map[string]any, len(cols))
	for i, c := range cols {
		row[c] = canonicalValue(vals[i])
	}
	return row
}

// canonicalValue maps what either driver returns onto one JSON form.
func canonicalValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float32:
		return float64(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

func entryStateHash(ctx context.Context, q querier, seq int64, only map[string]bool) (string, error) {
	state, err := entryState(ctx, q, seq, only)
	if err != nil {
		return "", err
	}
	if len(state) == 0 {
		return "", fmt.Errorf("entry %d created no records", seq)
	}
	return canonicalHash(state)
}

// canonicalHash is the hex SHA-256 of v encoded by encoding/json.
func canonicalHash(v any) (string, error) {
	b, err := appendCanonical(nil, v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// appendCanonical appends the JSON encoding of v exactly as encoding/json.Marshal
// writes it (object keys sorted, HTML characters, control characters, U+2028 and
// U+2029 escaped, invalid UTF-8 replaced by U+FFFD), for the values canonical states
// are made of: nil, string, int64, float64 and maps and lists of them. It is what
// Marshal would write, without its reflection: verify encodes every entry of the log.
// Any other type falls back to Marshal.
func appendCanonical(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return appendJSONString(dst, x), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, k)
			dst = append(dst, ':')
			var err error
			if dst, err = appendCanonical(dst, x[k]); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	case []map[string]any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, row := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendCanonical(dst, row); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case map[string][]map[string]any:
		m := make(map[string]any, len(x))
		for k, rows := range x {
			m[k] = rows
		}
		return appendCanonical(dst, m)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// appendJSONString appends s as encoding/json writes a string with HTML escaping.
func appendJSONString(dst []byte, s string) []byte { return jsonstr.Append(dst, s, true) }
