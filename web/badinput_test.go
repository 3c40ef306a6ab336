package web

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"maps"
	mrand "math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"caseroom"
	"caseroom/internal/pgtest"
)

// The tests in this file send every kind of bad input to every POST route of
// openapi.json and to every form of the web UI, on SQLite and on PostgreSQL, and check
// that each is refused with a 4xx whose message starts with the field at fault, and
// that the store is unchanged: the row count of every table, the audit log's among
// them, is the same before and after. The short form runs with go test; the long form
// (every kind in every field, and random mutations of valid bodies) with
//
//	go test ./web -run BadInput -badinput.long
//
// (with CASEROOM_TEST_POSTGRES set, on PostgreSQL too).

var badInputLong = flag.Bool("badinput.long", false, "send every kind of bad input to every field of every route, and random mutations of valid bodies")

// forEachStore runs fn as a subtest on a fresh SQLite store and, when
// CASEROOM_TEST_POSTGRES names a database, on a fresh schema of it. fn gets the dsn to
// open the store with ("" for SQLite; see newAPIEnvOn).
func forEachStore(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "") })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("CASEROOM_TEST_POSTGRES")
		if base == "" {
			t.Skip("set CASEROOM_TEST_POSTGRES=postgres://... to run on PostgreSQL")
		}
		dsn, _ := pgtest.Schema(t, base, "caseroom_webtest_")
		fn(t, dsn)
	})
}

// rowCounter counts the rows of every table of an apiEnv's store, behind the store's
// back, in one query.
type rowCounter struct {
	raw    *sql.DB
	tables []string
	query  string
	// last is the counts after the last request sent with sendBad, which are the
	// counts before the next unless something else wrote in between (see forget).
	last map[string]int64
}

// forget drops the counts kept from the last request: the test wrote since.
func (c *rowCounter) forget() { c.last = nil }

func newRowCounter(t *testing.T, e *apiEnv) *rowCounter {
	t.Helper()
	driver, dsn, list := "sqlite", "file:"+e.path+"?_pragma=busy_timeout(20000)",
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if e.dsn != "" {
		driver, dsn, list = "pgx", e.dsn,
			`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	c := &rowCounter{raw: raw}
	rows, err := raw.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if searchIndexTable(name) {
			continue
		}
		c.tables = append(c.tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.tables, "audit_log") || len(c.tables) < 20 {
		t.Fatalf("found tables %v; want the store's, audit_log among them", c.tables)
	}
	var counts []string
	for _, table := range c.tables {
		counts = append(counts, "(SELECT COUNT(*) FROM "+table+")")
	}
	c.query = "SELECT " + strings.Join(counts, ", ")
	return c
}

// searchIndexTable says whether a table is the search index's queue or chunks, which
// the store's indexer writes after the writes that queue records, while the counts
// are taken (sqlstore/search_queue.go); a refused write queues nothing, as its
// transaction is rolled back.
func searchIndexTable(name string) bool {
	switch name {
	case "search_queue", "search_chunks", "search_terms":
		return true
	}
	return strings.HasPrefix(name, "search_fts")
}

// counts returns the number of rows of each table.
func (c *rowCounter) counts(t *testing.T) map[string]int64 {
	t.Helper()
	n := make([]int64, len(c.tables))
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := c.raw.QueryRow(c.query).Scan(dest...); err != nil {
		t.Fatalf("count rows: %v", err)
	}
	out := map[string]int64{}
	for i, table := range c.tables {
		out[table] = n[i]
	}
	return out
}

// changed describes how after differs from before, or returns "".
func changed(before, after map[string]int64) string {
	var out []string
	for _, table := range slices.Sorted(maps.Keys(before)) {
		if before[table] != after[table] {
			out = append(out, fmt.Sprintf("%s %d -> %d", table, before[table], after[table]))
		}
	}
	return strings.Join(out, ", ")
}

// badRequest is one bad request to a route.
type badRequest struct {
	kind        string
	path        string // "" for the route's own path
	contentType string
	body        []byte
	// field is what the error message must start with ("field:"); "" takes any
	// message. loose compares it without array indices ("names.name" for
	// "names[0].name"), as encoding/json names the field of a type error.
	field string
	loose bool
	// mayAccept: the request may be taken (a megabyte of free text is no error); if
	// it is refused, nothing may change all the same.
	mayAccept bool
}

// textField is a string, time, number or bool at some path of a request type.
type textField struct {
	steps     []any  // map keys (string) and array indices (int) from the body's root
	path      string // as the text rule names it: names[0].source
	kind      reflect.Kind
	isTime    bool
	multiline bool
}

// requestFields lists the fields of a request type, every array given one element and
// every map one key.
func requestFields(t reflect.Type) []textField {
	var out []textField
	var walk func(t reflect.Type, steps []any, path string, multiline bool)
	walk = func(t reflect.Type, steps []any, path string, multiline bool) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == timeType:
			out = append(out, textField{steps: steps, path: path, isTime: true})
			return
		case t.Kind() == reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if !f.IsExported() || name == "-" || name == "" {
					continue
				}
				walk(f.Type, append(slices.Clone(steps), name), joinPath(path, name), freeText[name])
			}
		case t.Kind() == reflect.Slice:
			walk(t.Elem(), append(slices.Clone(steps), 0), path+"[0]", multiline)
		case t.Kind() == reflect.Map:
			walk(t.Elem(), append(slices.Clone(steps), "lead"), joinPath(path, "lead"), multiline)
		default:
			out = append(out, textField{steps: steps, path: path, kind: t.Kind(), multiline: multiline})
		}
	}
	walk(t, nil, "", false)
	return out
}

// setAt returns doc (decoded JSON) with the value at steps replaced by v, making the
// objects and arrays on the way as needed.
func setAt(doc any, steps []any, v any) any {
	if len(steps) == 0 {
		return v
	}
	switch step := steps[0].(type) {
	case string:
		m, _ := doc.(map[string]any)
		out := map[string]any{}
		for k, x := range m {
			out[k] = x
		}
		out[step] = setAt(out[step], steps[1:], v)
		return out
	default:
		a, _ := doc.([]any)
		out := slices.Clone(a)
		if len(out) == 0 {
			out = []any{nil}
		}
		out[0] = setAt(out[0], steps[1:], v)
		return out
	}
}

// invalidUTF8 stands in a value for a string that is not UTF-8: the JSON encoder would
// escape the bad bytes, so they are put in after.
const invalidUTF8 = "\uE000bad-utf8\uE000"

// withField returns base (a JSON object) with the field set to v, as a body.
func withField(t *testing.T, base []byte, f textField, v any) []byte {
	t.Helper()
	var doc any
	if err := json.Unmarshal(base, &doc); err != nil {
		t.Fatalf("base body %s: %v", base, err)
	}
	b, err := json.Marshal(setAt(doc, f.steps, v))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte(invalidUTF8), []byte("ok\xffok"))
}

// jsonBadRequests are the bad requests to a route taking a JSON body into goType,
// made from base, a valid body.
func jsonBadRequests(t *testing.T, goType reflect.Type, base []byte, long bool) []badRequest {
	t.Helper()
	body := func(kind, field string, b []byte) badRequest {
		return badRequest{kind: kind, body: b, field: field}
	}
	out := []badRequest{
		body("empty body", "body", nil),
		body("malformed JSON", "body", []byte(`{"`)),
		body("null", "body", []byte(`null`)),
		body("a string for the object", "body", []byte(`"text"`)),
		body("a number for the object", "body", []byte(`5`)),
		body("true for the object", "body", []byte(`true`)),
		body("an array for the object", "body", []byte(`[]`)),
		body("the object in an array", "body", append(append([]byte("["), base...), ']')),
		body("trailing object", "body", append(slices.Clone(base), `{}`...)),
		body("trailing data", "body", append(slices.Clone(base), ` x`...)),
		body("trailing NUL", "body", append(slices.Clone(base), 0)),
		body("invalid UTF-8 after the object", "body", append(slices.Clone(base), 0xff)),
		body("unknown field", "zzUnknown", bytes.Replace(base, []byte("{"), []byte(`{"zzUnknown":1,`), 1)),
	}
	if bytes.Equal(bytes.TrimSpace(base), []byte("{}")) {
		out[len(out)-1].body = []byte(`{"zzUnknown":1}`)
	}
	megabyte := strings.Repeat("x", 1<<20)
	bigSent := false
	for i, f := range requestFields(goType) {
		with := func(kind string, v any) badRequest {
			return badRequest{kind: f.path + ": " + kind, body: withField(t, base, f, v), field: f.path}
		}
		switch {
		case f.isTime:
			out = append(out, with("the year 9999", "9999-12-31T23:59:59Z"), with("before 1900", "1899-12-31T00:00:00Z"),
				with("not a time", "yesterday"))
		case f.kind == reflect.String:
			out = append(out, with("NUL", "a\x00b"), with("invalid UTF-8", invalidUTF8))
			if long || i%2 == 0 {
				out = append(out, with("escape", "\x1b[2J"), with("U+0001", "\x01"), with("DEL", "a\x7f"))
			}
			if !f.multiline {
				out = append(out, with("line break in one line", "a\nb"))
			}
			n := with("a number", 5)
			n.loose = true
			o := with("an object", map[string]any{})
			o.loose = true
			out = append(out, n, o)
			// A megabyte in every field in the long form; in the short form in the
			// first one-line field of each route, and in every source.
			if long || !f.multiline && (!bigSent || strings.HasSuffix(f.path, "source")) {
				bigSent = true
				big := with("a megabyte", megabyte)
				big.field, big.mayAccept = "", true
				out = append(out, big)
			}
			if long {
				for c := rune(0); c < 0x20; c++ {
					if c == '\t' || c == '\n' || c == '\r' {
						continue
					}
					out = append(out, with(fmt.Sprintf("U+%04X", c), "x"+string(c)+"y"))
				}
			}
		default:
			w := with("a string", "x\x00")
			w.loose = true
			out = append(out, w)
		}
	}
	return out
}

// otherCaseRefs are bad requests naming a record of another case in each field that
// takes a reference: refused as if the record did not exist.
func otherCaseRefs(t *testing.T, goType reflect.Type, base []byte, otherPerson, otherDoc string) []badRequest {
	refs := map[string]bool{"giver": true, "interpreter": true, "source": true, "from": true, "to": true, "person": true,
		"raisedFrom": true, "subjects": true, "document": true, "grounds": true, "corrects": true, "within": true,
		"implicates": true, "retracts": true, "requestedBy": true, "by": true, "recordedBy": true}
	var out []badRequest
	for _, f := range requestFields(goType) {
		if f.kind != reflect.String || len(f.steps) == 0 {
			continue
		}
		name, _ := f.steps[len(f.steps)-1].(string)
		if len(f.steps) >= 2 {
			if _, ok := f.steps[len(f.steps)-1].(int); ok {
				name, _ = f.steps[len(f.steps)-2].(string)
			}
		}
		if !refs[name] {
			continue
		}
		for _, id := range []string{otherPerson, otherDoc} {
			// Refused, but not always for this field: a reference some other field must
			// accompany (corrects needs a reason) is refused for that first.
			out = append(out, badRequest{kind: f.path + ": another case's " + id[:3], body: withField(t, base, f, id)})
		}
	}
	return out
}

// mutations are random changes of base for the long form: a byte flipped, a control
// character or an invalid byte put in somewhere, a piece cut out or doubled. Whatever
// the server makes of one, it must not answer 5xx, and a refusal changes nothing.
func mutations(base []byte, n int, seed uint64) []badRequest {
	r := mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var out []badRequest
	for i := range n {
		b := slices.Clone(base)
		if len(b) == 0 {
			b = []byte("{}")
		}
		at := r.IntN(len(b))
		switch r.IntN(5) {
		case 0:
			b[at] ^= byte(1 << r.IntN(8))
		case 1:
			b = slices.Insert(b, at, byte(r.IntN(0x20)))
		case 2:
			b = slices.Insert(b, at, []byte{0xff, 0xc3, 0x80}[r.IntN(3)])
		case 3:
			b = slices.Delete(b, at, min(len(b), at+1+r.IntN(8)))
		case 4:
			end := min(len(b), at+1+r.IntN(16))
			b = slices.Insert(b, end, b[at:end]...)
		}
		out = append(out, badRequest{kind: fmt.Sprintf("mutation %d", i), body: b, mayAccept: true})
	}
	return out
}

// badInputUser is who sends each route's bad input: the lead of the access
// fixture's case, or root, an administrator, for the routes only administrators use.
func badInputUser(key string) string {
	switch {
	case strings.HasPrefix(key, "POST /api/v1/users/"), strings.HasPrefix(key, "POST /api/v1/tokens/"),
		key == "POST /api/v1/hashsets", key == "POST /api/v1/audit/witnesses":
		return "root"
	}
	return "lead"
}

// sendBad sends one bad request as user to path (or bad.path) and checks the answer
// and the store; it returns the status.
func (e *apiEnv) sendBad(t *testing.T, user, path string, bad badRequest, counter *rowCounter) int {
	t.Helper()
	before := counter.last
	if before == nil {
		before = counter.counts(t)
	}
	if bad.path != "" {
		path = bad.path
	}
	req, err := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(bad.body))
	if err != nil {
		t.Fatal(err)
	}
	if bad.contentType != "" {
		req.Header.Set("Content-Type", bad.contentType)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	r := e.in(t).send(req)
	after := counter.counts(t)
	counter.last = after
	// A JSON error's message must start with the field; a page (the sign-in form)
	// must say it.
	named := func() (bool, string) {
		if strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			msg := r.errorMessage(t)
			return messageNames(msg, bad.field, bad.loose), msg
		}
		page := html.UnescapeString(string(r.body))
		return strings.Contains(page, bad.field+": "), page
	}
	switch {
	case r.status >= 500:
		t.Errorf("%s: status %d\n%.300s", bad.kind, r.status, r.body)
	case r.status < 400 && !bad.mayAccept:
		t.Errorf("%s: accepted with %d; want a 4xx naming %q\n%.300s", bad.kind, r.status, bad.field, r.body)
	case r.status >= 400 && bad.field != "":
		if ok, msg := named(); !ok {
			t.Errorf("%s: status %d, message %.300q does not start with the field %q", bad.kind, r.status, msg, bad.field)
		}
	}
	if d := changed(before, after); r.status >= 400 && d != "" {
		t.Errorf("%s: refused with %d, but the store changed: %s", bad.kind, r.status, d)
	}
	return r.status
}

var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// messageNames reports whether msg starts with "field:", or (loose) with the field or
// the object or map holding it, array indices left out: encoding/json names the field
// of a type error so (languages for languages.lead[0]).
func messageNames(msg, field string, loose bool) bool {
	path, _, ok := strings.Cut(msg, ":")
	if !ok {
		return false
	}
	if path == field {
		return true
	}
	path, field = arrayIndex.ReplaceAllString(path, ""), arrayIndex.ReplaceAllString(field, "")
	return loose && (path == field || strings.HasPrefix(field, path+"."))
}

// TestBadInputOnEveryRoute sends bad input of every kind to every POST route of
// openapi.json, each time with a body valid but for the one fault (made from the
// access matrix's request for the route, as the lead or an administrator), and
// checks each answer (4xx naming the field, never 5xx) and that the store did not
// change. Last, the valid body itself must be taken, which shows that the refusals
// were for the fault put in and not for something else.
func TestBadInputOnEveryRoute(t *testing.T) {
	forEachStore(t, func(t *testing.T, dsn string) {
		f := newAccessFixtureOn(t, dsn)
		e := f.e
		addAdmin(t, e, "root")
		counter := newRowCounter(t, e)
		matrix := accessMatrix()
		// A record of another case, for the fields that take a reference.
		other := e.createCase("lead", nil)
		otherPerson := post[caseroom.Person](e, "lead", "/api/v1/cases/"+other+"/persons", map[string]any{"names": []map[string]any{{"name": "Other Case Witness"}}, "roles": []string{"witness"}}).ID
		otherDoc := post[caseroom.Document](e, "lead", "/api/v1/cases/"+other+"/documents", map[string]any{"kind": "report", "title": "Other case", "text": "Elsewhere."}).ID

		ops := e.doc.operations()
		var keys []string
		for key := range ops {
			if strings.HasPrefix(key, "POST ") {
				keys = append(keys, key)
			}
		}
		sort.Strings(keys)
		routes := 0
		for _, key := range keys {
			op := ops[key]
			t.Run(key, func(t *testing.T) {
				user := badInputUser(key)
				reqBody, _ := op["requestBody"].(map[string]any)
				content, _ := reqBody["content"].(map[string]any)
				row, ok := matrix[key]
				if !ok {
					t.Fatalf("%s has no row in the access matrix to make a valid request from", key)
				}
				var bads []badRequest
				var path string
				var base []byte
				switch {
				case key == "POST /signin":
					path = "/signin"
					user = ""
					bads = signInBadRequests(*badInputLong)
				case key == "POST /signout":
					t.Skip("reads nothing but the session cookie and its CSRF token")
				case content["application/json"] != nil:
					goType, ok := requestTypes[key]
					if !ok {
						t.Fatalf("requestTypes names no Go type for %s", key)
					}
					var body any
					path, body = row.request(f)
					base = marshalBody(t, body)
					bads = jsonBadRequests(t, reflect.TypeOf(goType), base, *badInputLong)
					bads = append(bads, otherCaseRefs(t, reflect.TypeOf(goType), base, otherPerson, otherDoc)...)
					if *badInputLong {
						bads = append(bads, mutations(base, 300, uint64(len(key)))...)
					}
				case content == nil:
					// Routes that take no body: none or {} is taken, anything else refused.
					path, _ = row.request(f)
					bads = jsonBadRequests(t, reflect.TypeFor[struct{}](), []byte(`{}`), *badInputLong)[1:] // an empty body is this route's valid body
				default:
					var body any
					path, body = row.request(f)
					bads = rawBadRequests(key, path, body)
				}
				// The path's own wildcards and query, with a NUL and invalid UTF-8 in each.
				bads = append(bads, pathBadRequests(path)...)
				counter.forget() // the request was made with writes of its own
				// What must be refused first; then the valid body, which must be taken;
				// then what may be taken (a megabyte of free text, a mutation that is
				// still valid), which could change what the valid body finds.
				for _, bad := range bads {
					if !bad.mayAccept {
						e.sendBad(t, user, path, bad, counter)
					}
				}
				if base != nil {
					req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(base))
					req.Header.Set("Authorization", "Bearer "+e.tokens[user])
					if r := e.in(t).send(req); r.status >= 300 {
						t.Errorf("the valid body %s was refused with %d: %s", base, r.status, r.body)
					}
					counter.forget()
				}
				for _, bad := range bads {
					if bad.mayAccept {
						e.sendBad(t, user, path, bad, counter)
					}
				}
				routes++
			})
		}
		if routes < 30 {
			t.Errorf("checked %d POST routes; openapi.json documents more", routes)
		}
	})
}

// marshalBody turns a body as the access matrix gives it (a string or a value to
// marshal) into JSON.
func marshalBody(t *testing.T, body any) []byte {
	t.Helper()
	if s, ok := body.(string); ok {
		return []byte(s)
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recordSegment matches a path segment that names a record: an id (cas_..., per_...)
// or a reference (AR-1).
var recordSegment = regexp.MustCompile(`^([a-z]{3}_[a-z0-9]+|[A-Z]{1,3}-[0-9]+)$`)

// pathBadRequests puts a NUL and a byte that is not UTF-8 in place of each path
// segment that is a record's id or reference, and in each query parameter.
func pathBadRequests(path string) []badRequest {
	u, err := url.Parse(path)
	if err != nil {
		return nil
	}
	var out []badRequest
	segments := strings.Split(u.EscapedPath(), "/")
	for i, seg := range segments {
		if !recordSegment.MatchString(seg) {
			continue
		}
		for _, bad := range []string{"%00", "%FF", "x%0Ay"} {
			s := slices.Clone(segments)
			s[i] = seg + bad
			p := strings.Join(s, "/")
			if u.RawQuery != "" {
				p += "?" + u.RawQuery
			}
			out = append(out, badRequest{kind: "path segment " + seg + bad, path: p, field: "path"})
		}
	}
	q := u.Query()
	for name := range q {
		for _, bad := range []string{"\x00", "\xff", "\n"} {
			q2 := url.Values{}
			for k, v := range q {
				q2[k] = v
			}
			q2.Set(name, q.Get(name)+bad)
			out = append(out, badRequest{kind: fmt.Sprintf("query %s with %q", name, bad), path: u.Path + "?" + q2.Encode(), field: name})
		}
	}
	return out
}

// rawBadRequests are the bad bodies of the routes that take something other than
// JSON: a known-hash set, a cosigned checkpoint, a file to ingest (whose body may be
// anything; its name in ?path= is checked by pathBadRequests).
func rawBadRequests(key, path string, body any) []badRequest {
	raw := func(kind, contentType, b string) badRequest {
		return badRequest{kind: kind, contentType: contentType, body: []byte(b)}
	}
	switch key {
	case "POST /api/v1/hashsets":
		return []badRequest{
			raw("CSV with a NUL in a category", "text/csv", "md5,category\n"+strings.Repeat("a", 32)+",cat\x00egory\n"),
			raw("CSV with invalid UTF-8 in a category", "text/csv", "md5,category\n"+strings.Repeat("b", 32)+",cat\xffegory\n"),
			raw("CSV with a NUL in a header", "text/csv", "md5\x00,category\n"+strings.Repeat("c", 32)+",1\n"),
			raw("malformed VICS", "application/json", `{"value":[`),
			raw("VICS with trailing data", "application/json", `{"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media","value":[]} x`),
			raw("VICS as a string", "application/json", `"x"`),
			raw("VICS with a NUL in a category", "application/json", `{"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media","value":[{"MD5":"`+strings.Repeat("d", 32)+`","Category":"1\u0000"}]}`),
			raw("empty", "text/csv", ""),
		}
	case "POST /api/v1/audit/cosignatures":
		note, _ := body.(string)
		return []badRequest{
			raw("a NUL in the note", "text/plain", strings.Replace(note, "\n", "\x00\n", 1)),
			raw("invalid UTF-8 in the note", "text/plain", strings.Replace(note, "\n", "\xff\n", 1)),
			raw("a cut note", "text/plain", note[:len(note)/2]),
			raw("JSON for a note", "text/plain", `{"note":"x"}`),
			raw("empty", "text/plain", ""),
		}
	}
	return nil
}

// signInBadRequests are sign-in forms with a control character or invalid UTF-8 in the
// user name or code: refused, before the store looks the user up, with the sign-in
// page naming the field.
func signInBadRequests(long bool) []badRequest {
	var out []badRequest
	for _, field := range []string{"user", "code"} {
		for _, bad := range []string{"\x00", "\xff", "\n", "\x1b"} {
			form := url.Values{"user": {"lead"}, "password": {envPassword}, "code": {"123456"}}
			form.Set(field, form.Get(field)+bad)
			out = append(out, badRequest{kind: fmt.Sprintf("%s with %q", field, bad), contentType: "application/x-www-form-urlencoded",
				body: []byte(form.Encode()), field: field})
		}
	}
	return out
}

// TestBadFormInputOnEveryPage sends every form of the web UI a field with a control
// character or invalid UTF-8, with a valid session and CSRF token, and checks that each
// is refused with 400 and a page naming the field, and that the store did not change.
// The short form puts each kind in one field per route, taking the fields in turn; the
// long form puts each kind in every field any form has.
func TestBadFormInputOnEveryPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, dsn string) {
		f := newAccessFixtureOn(t, dsn)
		e := f.e
		counter := newRowCounter(t, e)
		// An investigator needs no second factor to sign in on the web.
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		client := *e.srv.Client()
		client.Jar = jar
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := client.PostForm(e.srv.URL+"/signin", url.Values{"user": {"inv"}, "password": {envPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in as inv: %d", resp.StatusCode)
		}
		resp, err = client.Get(e.srv.URL + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csrf := resp.Header.Get(CSRFHeader)
		if csrf == "" {
			t.Fatal("no CSRF token")
		}

		fields := formFieldNames(t)
		kinds := []struct{ name, value string }{{"NUL", "a\x00b"}, {"escape", "\x1b[2J"}, {"invalid UTF-8", "ok\xffok"}, {"line break", "a\nb"}}
		paths := map[string]string{"{case}": f.caseID, "{id}": f.exhibit}
		var routes []uiRoute
		for _, rt := range (&Server{}).uiRoutes() {
			if rt.method == "POST" {
				routes = append(routes, rt)
			}
		}
		if len(routes) < 10 {
			t.Fatalf("found %d POST routes of the UI; want every form's", len(routes))
		}
		for ri, rt := range routes {
			path := rt.pattern
			for w, v := range paths {
				path = strings.ReplaceAll(path, w, v)
			}
			t.Run(rt.pattern, func(t *testing.T) {
				for ki, kind := range kinds {
					for i, field := range fields {
						// The short form takes the fields in turn across routes and kinds.
						if !*badInputLong && i != (ri*len(kinds)+ki)%len(fields) {
							continue
						}
						if kind.name == "line break" && freeText[field] {
							continue // free text takes lines
						}
						before := counter.counts(t)
						form := url.Values{"csrf": {csrf}, field: {kind.value}}
						req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						req.Header.Set("Accept", "text/html")
						resp, err := client.Do(req)
						if err != nil {
							t.Fatal(err)
						}
						var body bytes.Buffer
						body.ReadFrom(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body.String(), field+": ") {
							t.Errorf("%s in %s: status %d; want 400 and a page naming the field\n%.500s", kind.name, field, resp.StatusCode, body.String())
						}
						if d := changed(before, counter.counts(t)); d != "" {
							t.Errorf("%s in %s: the store changed: %s", kind.name, field, d)
						}
					}
				}
			})
		}
	})
}

// formFieldNames lists the name of every field of every form of the UI's templates
// (the CSRF token and the password left out).
func formFieldNames(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	re := regexp.MustCompile(`<(?:input|textarea|select)[^>]*\sname="([A-Za-z]+)"`)
	err := fs.WalkDir(templateFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			seen[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(seen, "csrf")
	delete(seen, "password")
	names := slices.Sorted(maps.Keys(seen))
	if len(names) < 20 {
		t.Fatalf("found only the form fields %v in the templates", names)
	}
	return names
}
