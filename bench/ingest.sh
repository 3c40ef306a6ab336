#!/bin/sh
# Ingest throughput against sha256sum (issue 5): generates a folder of mixed files
# (random bytes: small, medium and large files, copies under other names, a zip of
# copies), then times sha256sum over it and caseroom ingest (three digests, encrypted
# disk blob store, records) into a fresh store, and prints the ratio and peak memory.
#
#   bench/ingest.sh [SIZE_MB] [WORKDIR]     defaults: 2048 MB, /tmp/caseroom-bench-ingest
set -eu
SIZE_MB=${1:-2048}
WORK=${2:-/tmp/caseroom-bench-ingest}
cd "$(dirname "$0")/.."
mkdir -p "$WORK"
BIN="$WORK/caseroom"
go build -o "$BIN" ./cmd/caseroom
SRC="$WORK/src-$SIZE_MB"
if [ ! -d "$SRC" ]; then
  python3 - "$SRC" "$SIZE_MB" <<'PY'
import os, sys, random, zipfile
src, total = sys.argv[1], int(sys.argv[2]) << 20
r = random.Random(5)
os.makedirs(src + "/a"); os.makedirs(src + "/b")
uniq, written, i = [], 0, 0
sizes = [4_000, 60_000, 700_000, 3_000_000, 40_000_000]
while written < total * 0.7:
    n = r.choice(sizes)
    data = r.randbytes(n)
    uniq.append(f"{src}/a/f{i:05}.bin")
    open(uniq[-1], "wb").write(data)
    written += n; i += 1
j = 0
while written < total * 0.9:
    p = r.choice(uniq); data = open(p, "rb").read()
    open(f"{src}/b/copy{j:05}.dat", "wb").write(data); written += len(data); j += 1
with zipfile.ZipFile(f"{src}/b/bundle.zip", "w", compression=zipfile.ZIP_STORED) as z:
    k = 0
    while written < total:
        p = r.choice(uniq); data = open(p, "rb").read()
        z.writestr(f"inner/c{k:05}.bin", data); written += len(data); k += 1
PY
fi
DATA="$WORK/data"
rm -rf "$DATA"
echo 'Bench-Password-Correct-9' | "$BIN" user add bench --admin --data "$DATA" >/dev/null 2>&1
TOKEN=$("$BIN" token create --user bench --data "$DATA" 2>/dev/null | tail -1)
PORT=$((20000 + $(date +%s) % 20000))
"$BIN" serve --data "$DATA" --addr 127.0.0.1:$PORT >/dev/null 2>&1 &
PID=$!
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:$PORT/healthz >/dev/null 2>&1 && break; sleep 0.1; done
CASE=$(curl -fs -H "Authorization: Bearer $TOKEN" -d '{"title":"Bench"}' http://127.0.0.1:$PORT/api/v1/cases | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -fs -H "Authorization: Bearer $TOKEN" -d '{"ref":"SB/1","description":"Bench","kind":"storage","seizedAt":"2026-11-20T09:00:00Z"}' http://127.0.0.1:$PORT/api/v1/cases/$CASE/exhibits >/dev/null
kill $PID; wait $PID 2>/dev/null || true
cat "$SRC"/a/* "$SRC"/b/* >/dev/null   # both runs read from the page cache
sync
t0=$(date +%s.%N); find "$SRC" -type f -exec sha256sum {} + >/dev/null; t1=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$WORK/mem" "$BIN" ingest --data "$DATA" --case "$CASE" --exhibit SB/1 --json "$SRC" >"$WORK/summary.json" 2>/dev/null
t2=$(date +%s.%N)
python3 - "$t0" "$t1" "$t2" "$WORK/mem" "$WORK/summary.json" <<'PY'
import sys, json
t0, t1, t2 = map(float, sys.argv[1:4]); mem = int(open(sys.argv[4]).read().split()[-1])
s = json.loads(open(sys.argv[5]).read().strip().splitlines()[-1])
mb = s["bytes"] / 1e6
print(f"{s['files']} files, {mb:.0f} MB: {s['new']} new, {s['copies']} copies, {s['errors']} errors")
print(f"sha256sum {t1-t0:.2f} s ({mb/(t1-t0):.0f} MB/s); ingest {t2-t1:.2f} s ({mb/(t2-t1):.0f} MB/s); ratio {(t1-t0)/(t2-t1):.2f}; peak memory {mem/1024:.0f} MB")
PY
