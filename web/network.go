package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"caseroom"
)

// Link analysis (see caseroom.NetworkService). The four routes take their questions
// in the query string: the records asked about are ids or references, never names.

// networkParams reads a query's parameters: a network query's own and its filter's
// (filterParams), or an export's. A parameter that is none of those is refused (check),
// so that a misspelt filter is not silently ignored.
type networkParams struct {
	v   url.Values
	err error
}

// filterParams are the parameters of a caseroom.NetworkFilter (see filter).
var filterParams = []string{"via", "type", "kind", "since", "until", "confidence", "standing", "avoid"}

// check refuses a parameter not among known, the first of them by name.
func (p *networkParams) check(known ...string) {
	for _, k := range slices.Sorted(maps.Keys(p.v)) {
		if !slices.Contains(known, k) && p.err == nil {
			p.err = caseroom.Errorf(caseroom.EINVALID, "%s: not a parameter of this query; use %s", k, strings.Join(known, ", "))
		}
	}
}

// list is a parameter given once with commas, or several times.
func (p *networkParams) list(name string) []string {
	var out []string
	for _, v := range p.v[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (p *networkParams) int(name string, lo, hi int) int {
	s := p.v.Get(name)
	if s == "" || p.err != nil {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.err = caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a number from %d to %d", name, s, lo, hi)
	}
	return n
}

func (p *networkParams) bool(name, yes string) bool {
	switch s := p.v.Get(name); s {
	case "":
		return false
	case yes:
		return true
	default:
		if p.err == nil {
			p.err = caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a value of it; give %s=%s", name, s, name, yes)
		}
	}
	return false
}

func (p *networkParams) filter() caseroom.NetworkFilter {
	f := caseroom.NetworkFilter{Via: p.list("via"), Since: p.v.Get("since"), Until: p.v.Get("until"),
		Standing: p.bool("standing", "true"), AvoidSingleSource: p.bool("avoid", "single-source")}
	for _, t := range p.list("type") {
		f.Types = append(f.Types, caseroom.LinkType(t))
	}
	for _, k := range p.list("kind") {
		f.Kinds = append(f.Kinds, caseroom.EntityKind(k))
	}
	if s := p.v.Get("confidence"); s != "" && p.err == nil {
		c, err := strconv.ParseFloat(s, 64)
		if err != nil || c < 0 || c > 1 {
			p.err = caseroom.Errorf(caseroom.EINVALID, "confidence: %q is not a number from 0 to 1", s)
		}
		f.MinConfidence = c
	}
	return f
}

func (s *Server) handleNetwork(w http.ResponseWriter, r *http.Request) {
	p := &networkParams{v: r.URL.Query()}
	p.check(slices.Concat(filterParams, []string{"around", "steps", "cap"})...)
	q := caseroom.NetworkQuery{Around: p.v.Get("around"), NetworkFilter: p.filter()}
	q.Steps = p.int("steps", 1, caseroom.NetworkMaxSteps)
	if p.v.Get("steps") == "" {
		q.Steps = 1
	}
	q.Cap = p.int("cap", 1, caseroom.NetworkMaxCap)
	if p.err != nil {
		writeError(w, r, p.err)
		return
	}
	res, err := s.Network.Network(r.Context(), r.PathValue("case"), q)
	respond(w, r, res, err)
}

func (s *Server) handleNetworkPaths(w http.ResponseWriter, r *http.Request) {
	p := &networkParams{v: r.URL.Query()}
	p.check(slices.Concat(filterParams, []string{"from", "to", "max", "limit"})...)
	q := caseroom.PathQuery{From: p.v.Get("from"), To: p.v.Get("to"), NetworkFilter: p.filter()}
	q.Max = p.int("max", 1, caseroom.PathsMaxLength)
	q.Limit = p.int("limit", 1, caseroom.PathsMaxLimit)
	if p.err != nil {
		writeError(w, r, p.err)
		return
	}
	res, err := s.Network.Paths(r.Context(), r.PathValue("case"), q)
	respond(w, r, res, err)
}

func (s *Server) handleNetworkCommon(w http.ResponseWriter, r *http.Request) {
	p := &networkParams{v: r.URL.Query()}
	p.check(slices.Concat(filterParams, []string{"persons"})...)
	q := caseroom.CommonQuery{Persons: p.list("persons"), NetworkFilter: p.filter()}
	if p.err != nil {
		writeError(w, r, p.err)
		return
	}
	res, err := s.Network.CommonCounterparts(r.Context(), r.PathValue("case"), q)
	respond(w, r, res, err)
}

func (s *Server) handleNetworkCentrality(w http.ResponseWriter, r *http.Request) {
	p := &networkParams{v: r.URL.Query()}
	p.check(slices.Concat(filterParams, []string{"limit"})...)
	q := caseroom.CentralityQuery{NetworkFilter: p.filter()}
	q.Limit = p.int("limit", 1, 100000)
	if p.err != nil {
		writeError(w, r, p.err)
		return
	}
	res, err := s.Network.Centrality(r.Context(), r.PathValue("case"), q)
	respond(w, r, res, err)
}
