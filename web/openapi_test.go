package web

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/audit"
	"caseroom/ingest"
)

// The tests in this file fail when openapi.json and the code drift apart: a route
// added without documenting it, a field renamed in Go but not in the document, an
// enum that gained a value. api_test.go also checks every response of the end-to-end
// tests against the schema documented for its route and status (openAPIDoc.check).

// docPath turns a ServeMux pattern into the OpenAPI path that documents it. The rule:
// a trailing "{$}" (which makes "/" match only itself) is dropped, so "GET /{$}" is
// documented as "/"; every other wildcard ({case}, {id}) is written as it is.
func docPath(pattern string) string {
	return strings.TrimSuffix(pattern, "{$}")
}

// openAPIDoc is openapi.json decoded into plain maps, with what the tests need.
type openAPIDoc struct {
	root map[string]any
}

// loadOpenAPI decodes the document exactly as the server embeds and serves it.
func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	b, err := staticFS.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return &openAPIDoc{root: root}
}

// lookup follows a JSON pointer such as "#/components/schemas/Case".
func (d *openAPIDoc) lookup(ref string) (any, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var cur any = d.root
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// resolve follows $ref until it reaches an object that is not a reference.
func (d *openAPIDoc) resolve(t *testing.T, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	for i := 0; m != nil && m["$ref"] != nil; i++ {
		target, ok := d.lookup(m["$ref"].(string))
		if !ok || i > 10 {
			t.Fatalf("unresolvable $ref %v", m["$ref"])
		}
		m, _ = target.(map[string]any)
	}
	if m == nil {
		t.Fatalf("expected an object, got %#v", v)
	}
	return m
}

func (d *openAPIDoc) schema(t *testing.T, name string) map[string]any {
	t.Helper()
	s, ok := d.lookup("#/components/schemas/" + name)
	if !ok {
		t.Fatalf("components.schemas has no %s", name)
	}
	return d.resolve(t, s)
}

// operations returns every operation of the document keyed "METHOD /path".
func (d *openAPIDoc) operations() map[string]map[string]any {
	ops := map[string]map[string]any{}
	paths, _ := d.root["paths"].(map[string]any)
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops[strings.ToUpper(method)+" "+path] = op.(map[string]any)
			}
		}
	}
	return ops
}

// routeKeys returns the server's routes keyed as operations() keys them.
func routeKeys() map[string]route {
	out := map[string]route{}
	for _, rt := range (&Server{}).routes() {
		out[rt.method+" "+docPath(rt.pattern)] = rt
	}
	return out
}

// jsonFields returns the JSON names of a struct's fields, and those without
// omitempty: the fields always present when the struct is written.
func jsonFields(v any) (all, always []string) {
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			always = append(always, name)
		}
	}
	sort.Strings(all)
	sort.Strings(always)
	return all, always
}

// propertyNames returns the sorted property names of an object schema; for a oneOf
// (a value given as a string or an object) it takes the object branch.
func (d *openAPIDoc) propertyNames(t *testing.T, s map[string]any) []string {
	t.Helper()
	if branches, ok := s["oneOf"].([]any); ok {
		for _, b := range branches {
			if bs := d.resolve(t, b); bs["type"] == "object" {
				s = bs
			}
		}
	}
	props, ok := s["properties"].(map[string]any)
	if !ok {
		t.Fatalf("schema has no properties: %v", s)
	}
	return sortedKeys(props)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringList(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// diff describes how two sorted string sets differ, or returns "".
func diff(docName string, doc []string, goName string, code []string) string {
	var onlyDoc, onlyCode []string
	for _, x := range doc {
		if !slices.Contains(code, x) {
			onlyDoc = append(onlyDoc, x)
		}
	}
	for _, x := range code {
		if !slices.Contains(doc, x) {
			onlyCode = append(onlyCode, x)
		}
	}
	if len(onlyDoc) == 0 && len(onlyCode) == 0 {
		return ""
	}
	return fmt.Sprintf("only in %s: %v; only in %s: %v", docName, onlyDoc, goName, onlyCode)
}

func TestOpenAPIIsWellFormed(t *testing.T) {
	d := loadOpenAPI(t)
	if v, _ := d.root["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Errorf(`"openapi" is %q; want a 3.x version`, v)
	}
	scheme, ok := d.lookup("#/components/securitySchemes/bearerAuth")
	if m, _ := scheme.(map[string]any); !ok || m["type"] != "http" || m["scheme"] != "bearer" {
		t.Errorf("components.securitySchemes.bearerAuth = %v; want an http bearer scheme", scheme)
	}
	if !reflect.DeepEqual(d.root["security"], []any{map[string]any{"bearerAuth": []any{}}}) {
		t.Errorf("global security = %v; want bearerAuth", d.root["security"])
	}
	// Every $ref must resolve.
	var refs int
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs++
				if _, ok := d.lookup(ref); !ok {
					t.Errorf("%s: $ref %q does not resolve", at, ref)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(d.root, "#")
	if refs == 0 {
		t.Error("found no $ref at all; the walk is broken")
	}
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	d := loadOpenAPI(t)
	ops := d.operations()
	routes := routeKeys()
	var docKeys, routeKeyList []string
	for k := range ops {
		docKeys = append(docKeys, k)
	}
	for k := range routes {
		routeKeyList = append(routeKeyList, k)
	}
	sort.Strings(docKeys)
	sort.Strings(routeKeyList)
	if msg := diff("openapi.json", docKeys, "routes()", routeKeyList); msg != "" {
		t.Fatalf("operations and routes differ: %s", msg)
	}
	pathParam := regexp.MustCompile(`\{([a-z]+)\}`)
	for key, op := range ops {
		rt := routes[key]
		t.Run(key, func(t *testing.T) {
			// Public routes override the global bearerAuth with none; the rest inherit it.
			sec, overridden := op["security"]
			if rt.public && (!overridden || len(sec.([]any)) != 0) {
				t.Errorf("served without a token, but security is %v; want []", sec)
			}
			if !rt.public && overridden {
				t.Errorf("needs a token, but security is overridden with %v", sec)
			}
			if !rt.public && op["responses"].(map[string]any)["401"] == nil {
				t.Error("needs a token but documents no 401")
			}
			// Path parameters: exactly the wildcards of the pattern.
			var want, got []string
			for _, m := range pathParam.FindAllStringSubmatch(docPath(rt.pattern), -1) {
				want = append(want, m[1])
			}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				if pm := d.resolve(t, p); pm["in"] == "path" {
					got = append(got, pm["name"].(string))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("path parameters %v; want %v", got, want)
			}
			if len(want) > 0 && op["responses"].(map[string]any)["404"] == nil {
				t.Error("takes a case or record in the path but documents no 404")
			}
		})
	}
}

// requestTypes names the Go type each route decodes its body into.
var requestTypes = map[string]any{
	"POST /api/v1/cases/{case}/payments":                 caseroom.NewPayment{},
	"POST /api/v1/cases/{case}/search":                   caseroom.SearchRequest{},
	"POST /api/v1/cases":                                 caseroom.NewCase{},
	"POST /api/v1/cases/{case}/members":                  caseroom.NewMembership{},
	"POST /api/v1/cases/{case}/persons":                  caseroom.NewPerson{},
	"POST /api/v1/cases/{case}/persons/{id}/names":       caseroom.PersonName{},
	"POST /api/v1/cases/{case}/persons/{id}/aliases":     caseroom.Alias{},
	"POST /api/v1/cases/{case}/persons/{id}/roles":       addRoleRequest{},
	"POST /api/v1/cases/{case}/persons/{id}/identifiers": caseroom.NewIdentifier{},
	"POST /api/v1/cases/{case}/persons/{id}/reveal":      revealRequest{},
	"POST /api/v1/cases/{case}/documents":                caseroom.NewDocument{},
	"POST /api/v1/cases/{case}/links":                    caseroom.NewLink{},
	"POST /api/v1/cases/{case}/organisations":            caseroom.NewOrganisation{},
	"POST /api/v1/cases/{case}/locations":                caseroom.NewLocation{},
	"POST /api/v1/audit/witnesses":                       AddWitnessRequest{},
	"POST /api/v1/cases/{case}/exhibits":                 caseroom.NewExhibit{},
	"POST /api/v1/cases/{case}/exhibits/{id}/custody":    caseroom.NewCustodyEvent{},
	"POST /api/v1/cases/{case}/actions":                  caseroom.NewAction{},
	"POST /api/v1/cases/{case}/actions/{id}/allocate":    caseroom.ActionAllocation{},
	"POST /api/v1/cases/{case}/actions/{id}/result":      caseroom.ActionResultInput{},
	"POST /api/v1/cases/{case}/actions/{id}/refer-back":  caseroom.ActionReason{},
	"POST /api/v1/cases/{case}/actions/{id}/cancel":      caseroom.ActionReason{},
	"POST /api/v1/cases/{case}/decisions":                caseroom.NewDecision{},
	"POST /api/v1/cases/{case}/actions/{id}/consents":    caseroom.NewConsent{},
	"POST /api/v1/cases/{case}/arrests":                  caseroom.NewArrest{},
	"POST /api/v1/cases/{case}/arrests/{id}/production":  caseroom.NewProduction{},
	"POST /api/v1/cases/{case}/safeguards":               caseroom.NewSafeguardRules{},
	"POST /api/v1/cases/{case}/contacts":                 caseroom.NewContact{},
}

func TestOpenAPIRequestBodiesMatchGoTypes(t *testing.T) {
	d := loadOpenAPI(t)
	ops := d.operations()
	for key, op := range ops {
		body, _ := op["requestBody"].(map[string]any)
		content, _ := body["content"].(map[string]any)
		if _, ok := requestTypes[key]; !ok && content["application/json"] != nil {
			t.Errorf("%s documents a request body but requestTypes does not name its Go type", key)
		}
	}
	for key, goType := range requestTypes {
		t.Run(key, func(t *testing.T) {
			op, ok := ops[key]
			if !ok {
				t.Fatal("not in openapi.json")
			}
			body, ok := op["requestBody"].(map[string]any)
			if !ok {
				t.Fatal("documents no request body")
			}
			content := body["content"].(map[string]any)["application/json"].(map[string]any)
			schema := d.resolve(t, content["schema"])
			all, _ := jsonFields(goType)
			if msg := diff("openapi.json", d.propertyNames(t, schema), fmt.Sprintf("%T", goType), all); msg != "" {
				t.Error(msg)
			}
			// The handlers refuse unknown fields; the document must say so.
			if s := objectBranch(t, d, schema); s["additionalProperties"] != false {
				t.Error("request schema allows additional properties; the server refuses them")
			}
		})
	}
}

func objectBranch(t *testing.T, d *openAPIDoc, s map[string]any) map[string]any {
	if branches, ok := s["oneOf"].([]any); ok {
		for _, b := range branches {
			if bs := d.resolve(t, b); bs["type"] == "object" {
				return bs
			}
		}
	}
	return s
}

func TestOpenAPIResponseSchemasMatchGoTypes(t *testing.T) {
	d := loadOpenAPI(t)
	for name, goType := range map[string]any{
		"Case":                     caseroom.Case{},
		"Membership":               caseroom.Membership{},
		"Person":                   caseroom.Person{},
		"PersonName":               caseroom.PersonName{},
		"Alias":                    caseroom.Alias{},
		"Identifier":               caseroom.Identifier{},
		"IdentityAccessReport":     caseroom.IdentityAccessReport{},
		"IdentityAccess":           caseroom.IdentityAccess{},
		"IdentityViewer":           caseroom.IdentityViewer{},
		"Document":                 caseroom.Document{},
		"Statement":                caseroom.Statement{},
		"Presence":                 caseroom.Presence{},
		"Link":                     caseroom.Link{},
		"Organisation":             caseroom.Organisation{},
		"Location":                 caseroom.Location{},
		"AuditEntry":               caseroom.AuditEntry{},
		"User":                     caseroom.User{},
		"Witness":                  caseroom.Witness{},
		"ConsistencyProof":         audit.ConsistencyProof{},
		"InclusionProof":           InclusionProof{},
		"Exhibit":                  caseroom.Exhibit{},
		"CustodyEvent":             caseroom.CustodyEvent{},
		"Media":                    caseroom.Media{},
		"MediaMeta":                caseroom.MediaMeta{},
		"MediaLocation":            caseroom.MediaLocation{},
		"MediaSummary":             caseroom.MediaSummary{},
		"MediaMatch":               caseroom.MediaMatch{},
		"HashSet":                  caseroom.HashSet{},
		"IngestSummary":            ingest.Summary{},
		"FileError":                ingest.FileError{},
		"Action":                   caseroom.Action{},
		"ActionSubject":            caseroom.ActionSubject{},
		"ActionEvent":              caseroom.ActionEvent{},
		"Decision":                 caseroom.Decision{},
		"Consent":                  caseroom.Consent{},
		"Arrest":                   caseroom.Arrest{},
		"ArrestGround":             caseroom.ArrestGround{},
		"Production":               caseroom.Production{},
		"AccountabilityReport":     caseroom.AccountabilityReport{},
		"SuspectAccount":           caseroom.SuspectAccount{},
		"ImplicationSource":        caseroom.ImplicationSource{},
		"OfficerAccount":           caseroom.OfficerAccount{},
		"Retraction":               caseroom.Retraction{},
		"SafeguardRules":           caseroom.SafeguardRules{},
		"SafeguardFlag":            caseroom.SafeguardFlag{},
		"StatementFlags":           caseroom.StatementFlags{},
		"Contact":                  caseroom.Contact{},
		"Clock":                    caseroom.Clock{},
		"CaseSummary":              caseroom.CaseSummary{},
		"StatementCounts":          caseroom.StatementCounts{},
		"MedicalExaminationCounts": caseroom.MedicalExaminationCounts{},
		"Party":                    caseroom.Party{},
		"AmountText":               caseroom.AmountText{},
		"Payment":                  caseroom.Payment{},
		"MoneyAmount":              caseroom.MoneyAmount{},
		"MoneyTotal":               caseroom.MoneyTotal{},
		"MoneyMonth":               caseroom.MoneyMonth{},
		"MoneySummary":             caseroom.MoneySummary{},
		"Endpoint":                 caseroom.Endpoint{},
		"Communication":            caseroom.Communication{},
		"CommImport":               caseroom.CommImport{},
		"Counterpart":              caseroom.Counterpart{},
		"CommSummary":              caseroom.CommSummary{},
		"TimelineEntry":            caseroom.TimelineEntry{},
		"TimelinePage":             caseroom.TimelinePage{},
		"SearchRequest":            caseroom.SearchRequest{},
		"SearchHit":                caseroom.SearchHit{},
		"SearchFacet":              caseroom.SearchFacet{},
		"SearchFacets":             caseroom.SearchFacets{},
		"SearchResult":             caseroom.SearchResult{},
		"NetworkNode":              caseroom.NetworkNode{},
		"NetworkEdge":              caseroom.NetworkEdge{},
		"NetworkSource":            caseroom.NetworkSource{},
		"Network":                  caseroom.Network{},
		"NetworkPath":              caseroom.NetworkPath{},
		"Paths":                    caseroom.Paths{},
		"SharedCounterpart":        caseroom.SharedCounterpart{},
		"CommonCounterparts":       caseroom.CommonCounterparts{},
		"Central":                  caseroom.Central{},
		"Centrality":               caseroom.Centrality{},
	} {
		t.Run(name, func(t *testing.T) {
			s := d.schema(t, name)
			all, always := jsonFields(goType)
			if msg := diff("openapi.json", d.propertyNames(t, s), fmt.Sprintf("%T", goType), all); msg != "" {
				t.Errorf("properties: %s", msg)
			}
			var required []string
			if r, ok := s["required"]; ok {
				required = stringList(r)
			}
			sort.Strings(required)
			// PersonName, Alias and Presence are also request bodies: there "required"
			// says what a client must send, which is less than what is always written.
			if name == "PersonName" || name == "Alias" || name == "Presence" {
				for _, r := range required {
					if !slices.Contains(always, r) {
						t.Errorf("requires %s, which the server may leave out", r)
					}
				}
				return
			}
			if msg := diff("required", required, "fields without omitempty", always); msg != "" {
				t.Errorf("required: %s", msg)
			}
		})
	}
}

func TestOpenAPIEnumsMatchGoLists(t *testing.T) {
	d := loadOpenAPI(t)
	strs := func(list any) []string {
		v := reflect.ValueOf(list)
		out := make([]string, v.Len())
		for i := range out {
			out[i] = v.Index(i).String()
		}
		return out
	}
	for name, list := range map[string]any{
		"Role":             caseroom.Roles,
		"PersonRole":       caseroom.PersonRoles,
		"DocumentKind":     caseroom.DocumentKinds,
		"IdentifierKind":   caseroom.IdentifierKinds,
		"PaymentMethod":    caseroom.PaymentMethods,
		"PaymentPurpose":   caseroom.PaymentPurposes,
		"CommKind":         caseroom.CommKinds,
		"TimelineKind":     caseroom.TimelineKinds,
		"LinkType":         caseroom.LinkTypes,
		"LocationKind":     caseroom.LocationKinds,
		"ExhibitKind":      caseroom.ExhibitKinds,
		"CustodyEventKind": caseroom.CustodyEventKinds,
		"ActionKind":       caseroom.ActionKinds,
		"ActionPriority":   caseroom.ActionPriorities,
		"ActionState":      caseroom.ActionStates,
		"ActionEventKind":  caseroom.ActionEventKinds,
		"ConsentCapacity":  []caseroom.ConsentCapacity{caseroom.ConsentSelf, caseroom.ConsentGuardian, caseroom.ConsentRepresentative},
	} {
		t.Run(name, func(t *testing.T) {
			got := stringList(d.schema(t, name)["enum"])
			if want := strs(list); !slices.Equal(got, want) {
				t.Errorf("enum %v; Go lists %v", got, want)
			}
		})
	}
}

// check validates a decoded JSON value against a schema of the document and returns
// the problems found, each prefixed with where in the value it is. It knows the
// parts of JSON Schema that openapi.json uses: $ref, oneOf, type, enum, format
// (date-time must be RFC 3339 in UTC, as the API promises), pattern, minimum,
// maximum, properties, required, additionalProperties and items. An object schema
// with properties is closed unless it says additionalProperties: true, so a response
// field the document does not describe is a problem.
func (d *openAPIDoc) check(schema any, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return []string{at + ": schema is not an object"}
	}
	if ref, ok := s["$ref"].(string); ok {
		target, ok := d.lookup(ref)
		if !ok {
			return []string{at + ": unresolvable $ref " + ref}
		}
		return d.check(target, v, at)
	}
	if branches, ok := s["oneOf"].([]any); ok {
		matched := 0
		for _, b := range branches {
			if len(d.check(b, v, at)) == 0 {
				matched++
			}
		}
		if matched != 1 {
			return []string{fmt.Sprintf("%s: matches %d of the oneOf branches; want 1", at, matched)}
		}
		return nil
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, at+": "+fmt.Sprintf(format, args...)) }
	if typ, ok := s["type"]; ok {
		types := []string{}
		switch typ := typ.(type) {
		case string:
			types = append(types, typ)
		case []any:
			types = stringList(typ)
		}
		if kind := jsonKind(v); !slices.Contains(types, kind) && !(kind == "integer" && slices.Contains(types, "number")) {
			add("is %s %v; want %v", kind, v, types)
			return problems
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		add("%v is not one of %v", v, enum)
	}
	if str, ok := v.(string); ok {
		switch s["format"] {
		case "date-time":
			if tm, err := time.Parse(time.RFC3339Nano, str); err != nil {
				add("%q is not an RFC 3339 time", str)
			} else if _, offset := tm.Zone(); offset != 0 || !strings.HasSuffix(str, "Z") {
				add("%q is not in UTC", str)
			}
		case "date":
			if _, err := time.Parse(time.DateOnly, str); err != nil {
				add("%q is not a date", str)
			}
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			add("%q does not match %s", str, p)
		}
	}
	if n, ok := v.(float64); ok {
		if min, ok := s["minimum"].(float64); ok && n < min {
			add("%v is below %v", n, min)
		}
		if max, ok := s["maximum"].(float64); ok && n > max {
			add("%v is above %v", n, max)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					add("lacks required %s", r)
				}
			}
		}
		for _, k := range sortedKeys(obj) {
			if ps, ok := props[k]; ok {
				problems = append(problems, d.check(ps, obj[k], at+"."+k)...)
			} else if props != nil && s["additionalProperties"] != true {
				add("has %s, which the document does not describe", k)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if items, ok := s["items"]; ok {
			for i, x := range arr {
				problems = append(problems, d.check(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return problems
}

// jsonKind names the JSON Schema type of a value decoded by encoding/json.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestOpenAPICheckFindsDrift shows that the response check used by the end-to-end
// tests can fail: each value here breaks the Case schema in one way.
func TestOpenAPICheckFindsDrift(t *testing.T) {
	d := loadOpenAPI(t)
	good := `{"id":"cas_x","title":"T","timeZone":"UTC","createdBy":"lena","createdAt":"2026-01-02T03:04:05.123Z","role":"lead"}`
	var v any
	if err := json.Unmarshal([]byte(good), &v); err != nil {
		t.Fatal(err)
	}
	if p := d.check(d.schema(t, "Case"), v, "case"); len(p) > 0 {
		t.Fatalf("a good case fails: %v", p)
	}
	for name, bad := range map[string]string{
		"undocumented field": `{"id":"cas_x","title":"T","timeZone":"UTC","createdBy":"lena","createdAt":"2026-01-02T03:04:05Z","colour":"red"}`,
		"missing field":      `{"id":"cas_x","title":"T","timeZone":"UTC","createdAt":"2026-01-02T03:04:05Z"}`,
		"time not in UTC":    `{"id":"cas_x","title":"T","timeZone":"UTC","createdBy":"lena","createdAt":"2026-01-02T08:04:05+05:00"}`,
		"time not RFC 3339":  `{"id":"cas_x","title":"T","timeZone":"UTC","createdBy":"lena","createdAt":"2 January 2026"}`,
		"role not in enum":   `{"id":"cas_x","title":"T","timeZone":"UTC","createdBy":"lena","createdAt":"2026-01-02T03:04:05Z","role":"boss"}`,
		"wrong type":         `{"id":"cas_x","title":7,"timeZone":"UTC","createdBy":"lena","createdAt":"2026-01-02T03:04:05Z"}`,
	} {
		t.Run(name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(bad), &v); err != nil {
				t.Fatal(err)
			}
			if p := d.check(d.schema(t, "Case"), v, "case"); len(p) == 0 {
				t.Errorf("%s passes the check", bad)
			}
		})
	}
}
