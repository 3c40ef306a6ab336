package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"caseroom"
	"caseroom/phone"
	"caseroom/vault"
)

const prefixEndpoint = "enp"

// endpointKey is an endpoint as stored: what makes it one per case.
type endpointKey struct {
	kind, service, value string
}

// normalEndpoint is an endpoint read from input, normalised, with its country.
type normalEndpoint struct {
	endpointKey
	country string
}

// normaliseEndpoint writes an endpoint in its stored form: a phone in E.164 (read for
// region when written without a country code) with its country and no service; an
// e-mail address lower-cased; a bank account upper-cased without spaces; a handle as
// written, with its service lower-cased. field names the input in messages.
func normaliseEndpoint(raw caseroom.RawEndpoint, region, field string) (normalEndpoint, error) {
	value := strings.TrimSpace(raw.Value)
	switch {
	case value == "":
		return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: no value", field)
	case len(value) > maxIdentifierValue:
		return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: at most %d bytes", field, maxIdentifierValue)
	case !utf8.ValidString(value) || strings.ContainsFunc(value, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: not text", field)
	}
	service := strings.ToLower(strings.TrimSpace(raw.Service))
	if len(service) > maxIdentifierService || !utf8.ValidString(service) {
		return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: service at most %d bytes of text", field, maxIdentifierService)
	}
	country := strings.ToUpper(strings.TrimSpace(raw.Country))
	if len(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z' {
		country = ""
	}
	n := normalEndpoint{endpointKey: endpointKey{kind: string(raw.Kind), service: service, value: value}, country: country}
	switch raw.Kind {
	case caseroom.IdentifierPhone:
		num, ok := phone.Normalise(value, region)
		if !ok {
			return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a phone number", field, value)
		}
		n.value, n.service = num.E164, ""
		if num.Country != "" || n.country == "" {
			n.country = num.Country
		}
	case caseroom.IdentifierEmail:
		if at := strings.LastIndex(value, "@"); at < 1 || at == len(value)-1 || strings.ContainsAny(value, " \t") {
			return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not an e-mail address", field, value)
		}
		n.value, n.service = strings.ToLower(value), ""
	case caseroom.IdentifierBankAccount:
		n.value = strings.ToUpper(strings.Join(strings.Fields(value), ""))
	case caseroom.IdentifierHandle:
	default:
		return normalEndpoint{}, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a kind of endpoint; use phone, handle, email or bank_account", field, raw.Kind)
	}
	return n, nil
}

// parseEndpointRef reads an endpoint written kind:value (phone:0300-1234567,
// bank_account:PK36SCBL0000001123456702, handle:skype:live:rafiq, email:a@example.org;
// a handle takes its service before the handle). ok is false if ref is not so written.
func parseEndpointRef(ref string) (caseroom.RawEndpoint, bool) {
	kind, rest, ok := strings.Cut(ref, ":")
	if !ok {
		return caseroom.RawEndpoint{}, false
	}
	switch caseroom.IdentifierKind(kind) {
	case caseroom.IdentifierPhone, caseroom.IdentifierEmail, caseroom.IdentifierBankAccount:
		return caseroom.RawEndpoint{Kind: caseroom.IdentifierKind(kind), Value: rest}, true
	case caseroom.IdentifierHandle:
		service, handle, ok := strings.Cut(rest, ":")
		if !ok {
			return caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Value: rest}, true
		}
		return caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Service: service, Value: handle}, true
	}
	return caseroom.RawEndpoint{}, false
}

// endpointToken is the blind index of an endpoint's value as an identifier of its
// kind: equal to the token of a person's identifier with that value.
func endpointToken(v *vault.Vault, k endpointKey) string {
	return v.BlindIndex("identifier:"+k.kind, k.value)
}

// caseRegion returns the region numbers of a case written without a country code are
// read in, from the case's time zone.
func caseRegion(ctx context.Context, q querier, caseID string) (string, error) {
	var tz string
	err := q.QueryRowContext(ctx, `SELECT time_zone FROM cases WHERE id = ?`, caseID).Scan(&tz)
	if isNoRows(err) {
		return "", caseNotFound(caseID)
	} else if err != nil {
		return "", fmt.Errorf("case region: %w", err)
	}
	return phone.RegionOfZone(tz), nil
}

// endpointRow is an endpoint row to insert, in its canonical form for the audit state.
func endpointRow(id, caseID string, n normalEndpoint, token, by, at string, seq int64) map[string]any {
	return map[string]any{"id": id, "case_id": caseID, "kind": n.kind, "service": n.service, "value": n.value,
		"country": n.country, "token": token, "created_by": by, "created_at": at, "entry": seq}
}

// endpoint returns the id of the case's endpoint n, creating it under audit entry seq
// if the case has none yet.
func (tx *Tx) endpoint(caseID string, n normalEndpoint, seq int64) (string, error) {
	var id string
	err := tx.QueryRowContext(tx.ctx, `SELECT id FROM endpoints WHERE case_id = ? AND kind = ? AND service = ? AND value = ?`,
		caseID, n.kind, n.service, n.value).Scan(&id)
	if err == nil || !isNoRows(err) {
		return id, err
	}
	id = newID(prefixEndpoint)
	row := endpointRow(id, caseID, n, endpointToken(tx.db.v(), n.endpointKey), tx.actor.Name, formatTime(tx.now), seq)
	return id, tx.insertEndpoint(row)
}

func (tx *Tx) insertEndpoint(row map[string]any) error {
	if err := tx.exec(`INSERT INTO endpoints (id, case_id, kind, service, value, country, token, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row["id"], row["case_id"], row["kind"], row["service"], row["value"], row["country"], row["token"], row["created_by"], row["created_at"], row["entry"]); err != nil {
		return fmt.Errorf("insert endpoint: %w", err)
	}
	return nil
}

// endpointView builds endpoints as a reader sees them.
type endpointView struct {
	region string
	// holders maps a blind token to the persons holding it; victims to pseudonyms.
	holders map[string][]string
	labels  map[string]string
	victims map[string]bool
}

// loadEndpoints reads endpoints of a case by id (all of the case's if ids is nil) as a
// reader sees them: with the persons holding each (those with an identifier of the
// same kind and value) and, for one held by a victim, the value withheld and the
// victim's pseudonym as its holder: a victim's number is part of their identity.
func loadEndpoints(ctx context.Context, q querier, v *vault.Vault, caseID string, ids []string) (map[string]*caseroom.Endpoint, error) {
	region, err := caseRegion(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	out := map[string]*caseroom.Endpoint{}
	tokens := map[string]string{} // endpoint id -> token
	scan := func(filter string, args []any) error {
		return scanEach(ctx, q, `SELECT id, kind, service, value, country, token FROM endpoints WHERE case_id = ?`+filter, args,
			func(scan func(...any) error) error {
				e := &caseroom.Endpoint{CaseID: caseID}
				var kind, token string
				if err := scan(&e.ID, &kind, &e.Service, &e.Value, &e.Country, &token); err != nil {
					return err
				}
				e.Kind = caseroom.IdentifierKind(kind)
				e.Foreign = e.Country != "" && e.Country != region
				out[e.ID], tokens[e.ID] = e, token
				return nil
			})
	}
	if ids == nil {
		if err := scan(``, []any{caseID}); err != nil {
			return nil, fmt.Errorf("load endpoints: %w", err)
		}
	}
	for chunk := range slices.Chunk(uniqueStrings(ids), 5000) {
		args := []any{caseID}
		for _, id := range chunk {
			args = append(args, id)
		}
		if err := scan(` AND id IN (`+placeholders(len(chunk))+`)`, args); err != nil {
			return nil, fmt.Errorf("load endpoints: %w", err)
		}
	}
	holders, err := tokenHolders(ctx, q, caseID, tokens)
	if err != nil {
		return nil, err
	}
	var persons []string
	for _, ps := range holders {
		persons = append(persons, ps...)
	}
	labels, err := personLabels(ctx, q, v, caseID, persons)
	if err != nil {
		return nil, err
	}
	victims, err := scanPseudonyms(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	for id, e := range out {
		for _, p := range holders[tokens[id]] {
			e.Holders = append(e.Holders, caseroom.Party{ID: p, Kind: caseroom.EntityPerson, Label: labels[p]})
			if victims[p] != "" {
				e.ValueWithheld = true
			}
		}
		if e.ValueWithheld {
			e.Value = ""
		}
	}
	return out, nil
}

// tokenHolders maps each blind token of the endpoints given (id to token) to the
// persons of the case whose identifiers have it, in id order. A case holds few
// identifiers beside its endpoints, so every identifier token of the case is read in
// one query and matched here.
func tokenHolders(ctx context.Context, q querier, caseID string, tokens map[string]string) (map[string][]string, error) {
	holders := map[string][]string{}
	if len(tokens) == 0 {
		return holders, nil
	}
	wanted := map[string]bool{}
	for _, t := range tokens {
		wanted[t] = true
	}
	seen := map[[2]string]bool{}
	err := scanEach(ctx, q, `SELECT token, person_id FROM blind_index WHERE case_id = ? AND field >= 'identifier:' AND field < 'identifier;'`, []any{caseID},
		func(scan func(...any) error) error {
			var t, p string
			if err := scan(&t, &p); err != nil {
				return err
			}
			if wanted[t] && !seen[[2]string{t, p}] {
				seen[[2]string{t, p}] = true
				holders[t] = append(holders[t], p)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("endpoint holders: %w", err)
	}
	for _, ps := range holders {
		sort.Strings(ps)
	}
	return holders, nil
}

// personEndpoints returns the ids of the case's endpoints a person holds.
func personEndpoints(ctx context.Context, q querier, caseID, person string) ([]string, error) {
	var ids []string
	err := scanEach(ctx, q, `SELECT DISTINCT e.id FROM endpoints e JOIN blind_index b ON b.case_id = e.case_id AND b.token = e.token
		WHERE e.case_id = ? AND b.person_id = ? AND b.field = 'identifier:' || e.kind ORDER BY e.id`, []any{caseID, person},
		func(scan func(...any) error) error {
			var id string
			err := scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("person endpoints: %w", err)
	}
	return ids, nil
}

// scanPseudonyms maps each victim of the case to their pseudonym.
func scanPseudonyms(ctx context.Context, q querier, caseID string) (map[string]string, error) {
	out := map[string]string{}
	if err := scanMap(ctx, q, out, `SELECT person_id, pseudonym FROM pseudonyms WHERE case_id = ?`, caseID); err != nil {
		return nil, fmt.Errorf("pseudonyms: %w", err)
	}
	return out, nil
}

// scanMap adds to m the rows of a query of two text columns, the first the key.
func scanMap(ctx context.Context, q querier, m map[string]string, query string, args ...any) error {
	return scanEach(ctx, q, query, args, func(scan func(...any) error) error {
		var k, v string
		err := scan(&k, &v)
		m[k] = v
		return err
	})
}

// FindEndpoints lists the case's endpoints. See caseroom.CommService.
func (db *DB) FindEndpoints(ctx context.Context, caseID string, foreignOnly bool) ([]*caseroom.Endpoint, error) {
	if err := db.exhibitsReadable(ctx, caseID, "communications"); err != nil {
		return nil, err
	}
	m, err := loadEndpoints(ctx, db.reader(), db.v(), caseID, nil)
	if err != nil {
		return nil, err
	}
	out := make([]*caseroom.Endpoint, 0, len(m))
	for _, e := range m {
		if !foreignOnly || e.Foreign {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Label() < out[j].Label()
	})
	return out, nil
}

// uniqueStrings returns the distinct non-empty strings of s, sorted.
func uniqueStrings(s []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, x := range s {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
