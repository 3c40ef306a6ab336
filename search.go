package caseroom

import (
	"context"
	"time"
)

// SearchRequest is a search of one case: the query as the member typed it (see the
// fulltext package for its language) and the page wanted.
type SearchRequest struct {
	Query string `json:"q"`
	// Limit is the most text hits on the page: default 20, at most 100.
	Limit int `json:"limit,omitempty"`
	// After is the Next of the page before, to read on.
	After string `json:"after,omitempty"`
}

// Search limits.
const (
	SearchDefaultLimit = 20
	SearchMaxLimit     = 100
)

// SearchHit is one record a search found.
type SearchHit struct {
	// Kind is what the record is: a document's kind (statement, complaint, report,
	// message, press, medical-report), action, decision, exhibit, person or media.
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// Ref is the record's case reference: S-12, A-3, D-2, SB/3, V-0007; a media
	// record's exhibit reference and path.
	Ref   string `json:"ref"`
	Title string `json:"title,omitempty"`
	// Date is when a statement or complaint was recorded, else when the record was
	// made.
	Date *time.Time `json:"date,omitempty"`
	// Giver is who gave a statement or complaint, as the documents list shows them (a
	// victim by pseudonym).
	Giver string `json:"giver,omitempty"`
	// Snippet is HTML: the text where the query's words are, each in <mark>, escaped,
	// with words the reader may not see written [withheld].
	Snippet string `json:"snippet,omitempty"`
	// Score ranks text hits (higher is better): BM25 on SQLite, ts_rank_cd on
	// PostgreSQL; 0 for persons and media found by name, number or hash.
	Score float64 `json:"score"`
}

// SearchFacet is a count of the text hits with one value.
type SearchFacet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchFacets count every text hit of the search the reader may read (not only the
// page) by kind and by month (YYYY-MM in the case's time zone).
type SearchFacets struct {
	Kind  []SearchFacet `json:"kind"`
	Month []SearchFacet `json:"month"`
}

// SearchResult is one page of a search.
type SearchResult struct {
	Query string `json:"query"`
	// Total is the number of records whose text matched, that the reader may read.
	Total int `json:"total"`
	// Hits are the page of records found by their text (documents, actions,
	// decisions, exhibits), best first.
	Hits []*SearchHit `json:"hits"`
	// Persons are the persons found by name, alias, pseudonym or identifier, and
	// Media the media records found by hash: on the first page only.
	Persons []*SearchHit `json:"persons"`
	Media   []*SearchHit `json:"media"`
	Facets  SearchFacets `json:"facets"`
	// Next reads the next page of hits; "" on the last.
	Next string `json:"next,omitempty"`
}

// ReindexReport says what a rebuild of the search index did.
type ReindexReport struct {
	Cases   int           `json:"cases"`
	Records int           `json:"records"`
	Persons int           `json:"persons"`
	Took    time.Duration `json:"took"`
}

// SearchService searches a case's record.
type SearchService interface {
	// Search runs a query over the case's documents, actions, decisions and exhibits
	// (by their words) and its persons and media (by name, identifier, pseudonym or
	// hash), showing only what the reader may read: a hit, a snippet, a count or a
	// facet never reveals a record outside the reader's need to know. Every search is
	// audited (action search) with its query, sealed. Returns EINVALID for a query
	// that cannot be run, saying what is wrong; ENOTFOUND for an unknown case or a
	// non-member.
	Search(ctx context.Context, caseID string, req SearchRequest) (*SearchResult, error)

	// Reindex rebuilds the search index of every case from the records. Only an
	// administrator or the console may. Returns EFORBIDDEN otherwise.
	Reindex(ctx context.Context) (*ReindexReport, error)
}
