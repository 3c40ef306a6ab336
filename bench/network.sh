#!/bin/sh
# Link analysis at scale (issue 17): a case of N persons (default 100,000) and 10 links
# per person (1,000,000), a few hubs of 10,000 among them; 200 two-step neighbourhoods
# of typical persons and 200 shortest-path queries between two persons, p50 and p95.
# On SQLite, and on PostgreSQL when CASEROOM_TEST_POSTGRES is set (a fresh schema).
#
#   bench/network.sh [N]
#   STORE=sqlite bench/network.sh 20000
set -eu
N=${1:-100000}
cd "$(dirname "$0")/.."
CASEROOM_BENCH_NETWORK_PERSONS=$N exec go test ./sqlstore -run '^$' -bench "BenchmarkNetworkScale/${STORE:-}" -benchtime 1x -timeout 2h -v
