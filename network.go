package caseroom

import "context"

// The network of a case is its records (persons, organisations, locations,
// identifiers, endpoints) joined by edges: standing links, the holder of an identifier,
// and, where a query asks for them, the payments and the communications between two
// parties added up. See docs/network.md.

// NetworkNode is a record on a network.
type NetworkNode struct {
	ID    string     `json:"id"`
	Kind  EntityKind `json:"kind"`
	Label string     `json:"label"`
	// Roles are a person's roles in the case (victims are labelled by pseudonym).
	Roles []PersonRole `json:"roles,omitempty"`
	// Steps is the node's distance from the query's start (neighbourhood) or from its
	// first person (paths).
	Steps int `json:"steps"`
	// Capped: the node has more edges than the query's cap, and only the cap's
	// worth were followed (the rest are not on the network).
	Capped bool `json:"capped,omitempty"`
}

// The ways an edge comes about.
const (
	ViaLink           = "link"           // one standing link
	ViaIdentifier     = "identifier"     // a person holds an identifier
	ViaPayments       = "payments"       // the standing payments from one party to another
	ViaCommunications = "communications" // the communications between two endpoints' holders
)

// Edge types that are not link types.
const (
	EdgeHolds  = "holds"
	EdgePaid   = "paid"
	EdgeCalled = "communicated"
)

// NetworkEdge is one edge of a network: a standing link (ID is the link's), a
// holder's identifier (ID "holds:" and the identifier's id), or the payments or
// communications between two parties added up (ID "payments:" or "communications:" and
// the two ends' ids). From and To are node ids; Directed says whether the order means
// anything.
type NetworkEdge struct {
	ID         string  `json:"id"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Type       string  `json:"type"`
	Via        string  `json:"via"`
	Directed   bool    `json:"directed"`
	Since      string  `json:"since,omitempty"`
	Until      string  `json:"until,omitempty"`
	Confidence float64 `json:"confidence"`
	// Sources are the records the edge rests on, each once: the link's source, the
	// identifier's, or each payment's (communications rest on their imports' files).
	Sources []NetworkSource `json:"sources"`
	// Count is the number of payments or communications added up; Totals their
	// amounts per currency; Duration the communications' seconds.
	Count    int           `json:"count,omitempty"`
	Totals   []MoneyAmount `json:"totals,omitempty"`
	Duration int64         `json:"duration,omitempty"`
}

// NetworkSource is a record an edge rests on: its id, kind and case reference.
type NetworkSource struct {
	ID   string     `json:"id"`
	Kind EntityKind `json:"kind"`
	Ref  string     `json:"ref"`
}

// SingleSource reports whether the edge rests on one record alone.
func (e *NetworkEdge) SingleSource() bool { return len(e.Sources) <= 1 }

// Other returns the end of e that is not id.
func (e *NetworkEdge) Other(id string) string {
	if e.From == id {
		return e.To
	}
	return e.From
}

// NetworkFilter narrows the edges a network query follows. The zero filter follows
// every edge the caller may read: standing links, identifiers' holders, payments and
// communications.
type NetworkFilter struct {
	// Via are the ways of edge followed (ViaLink, ViaIdentifier, ViaPayments,
	// ViaCommunications; all when empty).
	Via []string
	// Types are the link types followed (all when empty).
	Types []LinkType
	// Kinds are the node kinds kept (all when empty): an edge to a node of another
	// kind is not followed.
	Kinds []EntityKind
	// Since and Until are a time window (partial dates as links write them): a
	// dated edge outside it is not followed; an undated one is.
	Since, Until string
	// MinConfidence leaves out links of a lower confidence.
	MinConfidence float64
	// Standing leaves out edges resting on a retracted statement (a retraction
	// names it).
	Standing bool
	// AvoidSingleSource follows only edges resting on two or more records.
	AvoidSingleSource bool
}

// NetworkVia lists the ways of edge.
var NetworkVia = []string{ViaLink, ViaIdentifier, ViaPayments, ViaCommunications}

// NetworkQuery asks for the neighbourhood of a record: every node within Steps (1 to
// NetworkMaxSteps) edges of Around.
type NetworkQuery struct {
	Around string
	Steps  int
	NetworkFilter
	// Cap is the most edges followed from one node (NetworkDefaultCap when 0).
	Cap int
}

// The bounds of network queries.
const (
	NetworkMaxSteps   = 4
	NetworkDefaultCap = 200
	NetworkMaxCap     = 5000
	PathsMaxLength    = 8
	PathsDefaultMax   = 6
	PathsDefaultLimit = 20
	PathsMaxLimit     = 200
)

// Network is the answer to a NetworkQuery: the nodes (Around first) and the edges
// between them.
type Network struct {
	CaseID string         `json:"caseId"`
	Around string         `json:"around"`
	Steps  int            `json:"steps"`
	Nodes  []*NetworkNode `json:"nodes"`
	Edges  []*NetworkEdge `json:"edges"`
	// Capped is true when some node had more edges than the cap (see NetworkNode).
	Capped bool `json:"capped"`
}

// PathQuery asks for the shortest paths from one record to another.
type PathQuery struct {
	From, To string
	// Max is the longest path looked for (PathsDefaultMax when 0, at most
	// PathsMaxLength); Limit the most paths returned (PathsDefaultLimit when 0).
	Max, Limit int
	NetworkFilter
}

// NetworkPath is one path: Nodes[i] and Nodes[i+1] are joined by Edges[i].
type NetworkPath struct {
	Nodes []string       `json:"nodes"`
	Edges []*NetworkEdge `json:"edges"`
}

// Paths is the answer to a PathQuery: every shortest path (all of one length), up to
// the limit, with the nodes they pass through.
type Paths struct {
	CaseID string         `json:"caseId"`
	From   string         `json:"from"`
	To     string         `json:"to"`
	Length int            `json:"length"` // 0 when no path of at most Max edges was found
	Paths  []NetworkPath  `json:"paths"`
	Nodes  []*NetworkNode `json:"nodes"`
	// Truncated is true when there are more shortest paths than the limit.
	Truncated bool `json:"truncated"`
}

// CommonQuery asks for the counterparts two or more persons share.
type CommonQuery struct {
	Persons []string
	NetworkFilter
}

// SharedCounterpart is a node joined to every person of a CommonQuery, with the edges that
// join it to each of them.
type SharedCounterpart struct {
	Node  *NetworkNode   `json:"node"`
	Edges []*NetworkEdge `json:"edges"`
}

// CommonCounterparts is the answer to a CommonQuery, the counterparts with the most
// edges first.
type CommonCounterparts struct {
	CaseID       string               `json:"caseId"`
	Persons      []*NetworkNode       `json:"persons"`
	Counterparts []*SharedCounterpart `json:"counterparts"`
}

// CentralityQuery asks for the centrality of the persons of a case over the edges the
// filter follows.
type CentralityQuery struct {
	NetworkFilter
	Limit int // the most persons listed (all when 0)
}

// Central is one person's centrality.
type Central struct {
	Node *NetworkNode `json:"node"`
	// Degree is the number of distinct nodes the person is joined to.
	Degree int `json:"degree"`
	// Betweenness is the share of shortest paths between other pairs of nodes that
	// pass through this one (0 to 1, normalised by the number of pairs).
	Betweenness float64 `json:"betweenness"`
}

// Centrality is the answer to a CentralityQuery, ranked by betweenness and then
// degree, with how the figures were computed.
type Centrality struct {
	CaseID  string     `json:"caseId"`
	Method  string     `json:"method"`
	Nodes   int        `json:"nodes"`
	Edges   int        `json:"edges"`
	Persons []*Central `json:"persons"`
}

// NetworkService answers questions about who connects to whom. Every node and edge is
// one the caller may read on the lists: an advocate's network is their clients'; a
// medical report the caller may not read, and the links resting on it, are not on it;
// victims are labelled by pseudonym. A start the caller may not see is ENOTFOUND, as
// if it did not exist.
type NetworkService interface {
	Network(ctx context.Context, caseID string, q NetworkQuery) (*Network, error)
	Paths(ctx context.Context, caseID string, q PathQuery) (*Paths, error)
	CommonCounterparts(ctx context.Context, caseID string, q CommonQuery) (*CommonCounterparts, error)
	Centrality(ctx context.Context, caseID string, q CentralityQuery) (*Centrality, error)
}
