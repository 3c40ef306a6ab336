#!/bin/sh
# Exact radius-31 search over PDQ hashes (issue 6): caseroom's hashindex against FAISS's
# IndexBinaryMultiHash(256, 16, 16) on the same hashes and queries, at 100,000 and
# 1,000,000 hashes (and 10,000,000 with the argument 10m; building that takes minutes
# and about 3 GB of memory for both). Prints the figures side by side.
#
#   bench/mih.sh [10m] [WORKDIR]     default WORKDIR: /tmp/caseroom-bench-mih
#
# Needs python3-faiss and numpy for the FAISS side (Debian: apt-get install python3-faiss).
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = 10m ]; then
  export CASEROOM_BENCH_MIH_10M=1
  shift
fi
WORK=${1:-/tmp/caseroom-bench-mih}
mkdir -p "$WORK"
PY=${PYTHON:-python3}
if ! "$PY" -c 'import faiss' 2>/dev/null && [ -x /usr/bin/python3 ]; then
  PY=/usr/bin/python3 # the Debian package installs for the system Python
fi

# The Go benchmarks; the first writes the hashes and queries to $WORK for FAISS.
CASEROOM_BENCH_MIH_DUMP=$WORK go test ./hashindex -run XXX -bench 'BenchmarkQuery$' -benchtime 20000x -timeout 60m | tee "$WORK/go.txt"
go test ./hashindex -run XXX -bench 'BenchmarkQueryBatch$' -benchtime 10x -timeout 60m | tee -a "$WORK/go.txt"
go test ./hashindex -run XXX -bench 'BenchmarkBuild$' -benchtime 1x -timeout 60m | tee -a "$WORK/go.txt"

: >"$WORK/faiss.txt"
for base in "$WORK"/base-*.bin; do
  n=${base##*/base-}
  n=${n%.bin}
  "$PY" bench/faiss_mih.py "$base" "$WORK/queries-$n.bin" | tee -a "$WORK/faiss.txt"
done

# Side by side: one row per size.
awk '
  function metric(line, unit,   i, f) { f = split(line, a, /[ \t]+/); for (i = 2; i <= f; i++) if (a[i] == unit) return a[i-1]; return "" }
  FNR == NR {
    if (match($1, /n=[0-9]+/)) {
      n = substr($1, RSTART + 2, RLENGTH - 2)
      if ($1 ~ /^BenchmarkQuery\//) { gmed[n] = metric($0, "median-µs"); gp99[n] = metric($0, "p99-µs") }
      if ($1 ~ /^BenchmarkQueryBatch\//) gqps[n] = metric($0, "queries/s")
      if ($1 ~ /^BenchmarkBuild\//) { gheap[n] = metric($0, "heap-B/hash"); gbuild[n] = metric($0, "s/build") }
      sizes[n] = 1
    }
    next
  }
  {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    n = f["n"]; fmed[n] = f["median-µs"]; fp99[n] = f["p99-µs"]; fqps[n] = f["queries/s"]; fb[n] = f["build-s"]; fmem[n] = f["maxrss-growth-B/hash"]; fex[n] = f["exact-on-sample"]
  }
  END {
    printf "\n%-10s | %-34s | %-34s\n", "hashes", "hashindex: median / p99 µs, q/s", "FAISS MultiHash: median / p99 µs, q/s"
    for (n in sizes) printf "%-10s | %8s / %8s, %9s q/s | %8s / %8s, %9s q/s\n", n, gmed[n], gp99[n], gqps[n], fmed[n], fp99[n], fqps[n] | "sort -n"
    close("sort -n")
    printf "\n%-10s | %-34s | %-34s\n", "hashes", "hashindex: build s, heap B/hash", "FAISS: build s, RSS growth B/hash"
    for (n in sizes) printf "%-10s | %10s s, %10s B/hash     | %10s s, %10s B/hash (exact: %s)\n", n, gbuild[n], gheap[n], fb[n], fmem[n], fex[n] | "sort -n"
    close("sort -n")
  }
' "$WORK/go.txt" "$WORK/faiss.txt"
