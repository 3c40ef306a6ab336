#!/bin/sh
# Communications at scale: import a call-detail record of N rows (default 1,000,000)
# with `caseroom import comms`, timed, with the importer's peak resident memory (GNU
# time's maximum RSS); import it again (nothing added); then serve the store and time
# the money summary, the communications summary of the CDR's subscriber and 500-entry
# pages of the case's and the subscriber's timeline (p50 and p95 over R requests each).
# PAYMENTS payments (default 0) are recorded through the API first, 8 at a time.
#
#   bench/comms.sh [N] [WORKDIR]                      defaults: 1000000, /tmp/caseroom-bench-comms
#   PAYMENTS=100000 bench/comms.sh                     a case with 100k payments too
#   DB=postgres://postgres@127.0.0.1:5432/bench bench/comms.sh   on PostgreSQL (the database is emptied)
#   R=50 bench/comms.sh                                requests per read figure
set -eu
N=${1:-1000000}
WORK=${2:-/tmp/caseroom-bench-comms}
PAYMENTS=${PAYMENTS:-0}
R=${R:-30}
cd "$(dirname "$0")/.."
mkdir -p "$WORK"
BIN=$WORK/caseroom
go build -o "$BIN" ./cmd/caseroom
DATA="$WORK/data"
rm -rf "$DATA"
DBFLAG=
if [ -n "${DB:-}" ]; then
  DBFLAG="--db $DB"
  psql "$DB" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
fi
echo 'Bench-Password-Correct-9' | "$BIN" user add bench --admin --data "$DATA" $DBFLAG >/dev/null 2>&1
TOKEN=$("$BIN" token create --user bench --data "$DATA" $DBFLAG 2>/dev/null | tail -1)
PORT=$((20000 + $(date +%s) % 20000))
URL=http://127.0.0.1:$PORT
serve() {
  "$BIN" serve --data "$DATA" $DBFLAG --addr 127.0.0.1:$PORT >>"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 200); do curl -fs $URL/healthz >/dev/null 2>&1 && return; sleep 0.1; done
  echo "serve did not start"; exit 1
}
api() { curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
jfield() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
trap 'kill ${PID:-0} 2>/dev/null || true' EXIT
serve
CASE=$(api -X POST $URL/api/v1/cases -d '{"title":"Bench","timeZone":"Asia/Karachi"}' | jfield id)
P=$URL/api/v1/cases/$CASE
SUS=$(api -X POST $P/persons -d '{"names":[{"name":"Bench Suspect"}],"roles":["suspect"]}' | jfield id)
FAT=$(api -X POST $P/persons -d '{"names":[{"name":"Bench Father"}],"roles":["witness"]}' | jfield id)
VIC=$(api -X POST $P/persons -d '{"names":[{"name":"Bench Child"}],"roles":["victim"]}' | jfield id)
DOC=$(api -X POST $P/documents -d "{\"kind\":\"statement\",\"title\":\"father\",\"text\":\"I paid.\",\"giver\":\"$FAT\",\"recordedAt\":\"2015-06-01T10:00:00Z\",\"implicates\":[\"$SUS\"]}" | jfield id)
api -X POST $P/links -d "{\"from\":\"$FAT\",\"to\":\"$VIC\",\"type\":\"parent_of\",\"source\":\"$DOC\",\"confidence\":1}" >/dev/null
api -X POST $P/persons/$SUS/identifiers -d "{\"kind\":\"phone\",\"value\":\"0300-1234567\",\"source\":\"$DOC\"}" >/dev/null
api -X POST $P/exhibits -d '{"ref":"BN/1","description":"phone","kind":"phone","seizedAt":"2015-07-10T09:00:00Z"}' >/dev/null
if [ "$PAYMENTS" -gt 0 ]; then
  t0=$(date +%s.%N)
  seq 1 "$PAYMENTS" | xargs -P 8 -I{} curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -X POST $P/payments \
    -d "{\"payer\":\"$FAT\",\"payee\":\"$SUS\",\"amount\":{}00,\"at\":\"2015-06-15\",\"method\":\"cash\",\"purpose\":\"extortion\",\"source\":\"$DOC\"}"
  echo "payments: $PAYMENTS recorded through the API in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s"
fi
kill $PID; wait $PID 2>/dev/null || true
python3 - "$WORK/cdr.csv" "$N" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
r = random.Random(7)
peers = ["0321%07d" % r.randrange(10**7) for _ in range(3000)] + ["+44 7700 9%05d" % i for i in range(40)] + ["+1 202 555 %04d" % i for i in range(20)]
with open(path, "w") as f:
    f.write("A Party,B Party,Date/Time,Duration,Call Type,Cell ID,IMEI\n")
    for i in range(n):
        t = 1420070400 + i * 29
        day, sec = divmod(t - 1420070400, 86400)
        f.write("03001234567,%s,%s,%d,%s,410-06-%04d-%04d,356938035643809\n" % (
            peers[r.randrange(len(peers))], "2015-%02d-%02d %02d:%02d:%02d" % (1 + day // 28 % 12, 1 + day % 28, sec // 3600, sec // 60 % 60, sec % 60),
            r.randrange(0, 900), "MO" if r.random() < 0.6 else "MT", r.randrange(10000), r.randrange(10000)))
PY
echo "cdr: $N rows, $(du -h "$WORK/cdr.csv" | cut -f1)"
for run in first again; do
  /usr/bin/time -f "%e s wall, %M kB peak RSS" -o "$WORK/time.txt" \
    "$BIN" import comms --data "$DATA" $DBFLAG --case "$CASE" --exhibit BN/1 --format cdr --json "$WORK/cdr.csv" >"$WORK/import.json" 2>"$WORK/import.err"
  echo "import ($run): $(cat "$WORK/time.txt"); $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d added, %d skipped" % (d["added"], d["skipped"]))' "$WORK/import.json")"
done
serve
p50() {
  name=$1; shift
  for _ in $(seq 1 "$R"); do curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$@"; done | sort -n |
    awk -v name="$name" '{a[NR]=$1} END{printf "%-38s p50 %6.1f ms  p95 %6.1f ms\n", name, a[int((NR+1)/2)]*1000, a[int(NR*0.95+0.5)]*1000}'
}
p50 "money summary" "$P/payments/summary"
p50 "communications summary (subscriber)" "$P/communications/summary?person=$SUS"
p50 "timeline, 500 entries (case)" "$P/timeline?limit=500"
p50 "timeline, 500 entries (subscriber)" "$P/timeline?limit=500&person=$SUS"
NEXT=$(curl -fs -H "Authorization: Bearer $TOKEN" "$P/timeline?limit=500&person=$SUS&from=2015-06-01" | jfield next)
p50 "timeline, a later page (subscriber)" "$P/timeline?limit=500&person=$SUS&after=$NEXT"
grep -E '^(VmHWM|VmRSS)' /proc/$PID/status | awk '{printf "server %s %d MB  ", $1, $2/1024}'; echo
