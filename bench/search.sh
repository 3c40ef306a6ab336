#!/bin/sh
# Search at scale (issue 16): a synthetic case of N documents (default 100,000, about
# 500 MB of mixed Urdu and English text) registered through the store, 8 writers at
# once; a rebuild of the index timed (caseroom search reindex's path); two-word queries
# timed (p50, p99 over 200); and one document registered with and without the index's
# writes, side by side, with the ratio. On SQLite, and on PostgreSQL when
# CASEROOM_TEST_POSTGRES is set (a fresh schema of that database).
#
#   bench/search.sh [N]                 default 100000
#   CASEROOM_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/bench?sslmode=disable bench/search.sh 100000
#   STORE=sqlite bench/search.sh 20000  one store only (sqlite or postgres)
set -eu
N=${1:-100000}
cd "$(dirname "$0")/.."
CASEROOM_BENCH_SEARCH_DOCS=$N exec go test ./sqlstore -run '^$' -bench "BenchmarkSearchScale/${STORE:-}" -benchtime 1x -timeout 4h -v
