#!/bin/sh
# Sign-in flood: memory and audit-log growth under concurrent anonymous sign-ins.
# Builds caseroom, serves a fresh data directory, and fires two rounds of N sign-in
# attempts at once with curl, each under a user name that does not exist:
#   one address   all from 127.0.0.1 (the per-address limit answers most of them)
#   N addresses   each from its own loopback address 127.0.0.2... (only the password
#                 gate, 1 or 2 hashes at once and 32 waiting, stands between them and argon2)
# It prints the statuses of each round, the server's peak (VmHWM) and current (VmRSS)
# resident memory from /proc, and the audit entries added, read through the API;
# then it waits for the minute's tally entry and counts again.
#
#   bench/signin-flood.sh [N] [WORKDIR]        defaults: 64, /tmp/caseroom-bench-signin
#   CASEROOM_BIN=/path/to/caseroom bench/signin-flood.sh    measure a binary built elsewhere
#   NO_TALLY_WAIT=1 bench/signin-flood.sh                   skip the 75 s wait for the tally
set -eu
N=${1:-64}
WORK=${2:-/tmp/caseroom-bench-signin}
cd "$(dirname "$0")/.."
mkdir -p "$WORK"
BIN=${CASEROOM_BIN:-$WORK/caseroom}
[ -n "${CASEROOM_BIN:-}" ] || go build -o "$BIN" ./cmd/caseroom
DATA="$WORK/data"
rm -rf "$DATA"
echo 'Bench-Password-Correct-9' | "$BIN" user add bench --admin --data "$DATA" >/dev/null 2>&1
TOKEN=$("$BIN" token create --user bench --data "$DATA" 2>/dev/null | tail -1)
PORT=$((20000 + $(date +%s) % 20000))
URL=http://127.0.0.1:$PORT
"$BIN" serve --data "$DATA" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs $URL/healthz >/dev/null 2>&1 && break; sleep 0.1; done

entries() {
  curl -fs -H "Authorization: Bearer $TOKEN" "$URL/api/v1/audit/entries?limit=10000" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))'
}
mem() { grep -E '^(VmHWM|VmRSS)' /proc/$PID/status | awk '{printf "%s %d MB  ", $1, $2/1024}'; echo; }

# round NAME ADDRESS-OF-I: N attempts at once; ADDRESS-OF-I prints the source address
# of attempt I.
round() {
  name=$1; addr=$2
  rm -f "$WORK"/status.*
  pids=
  t0=$(date +%s.%N)
  for i in $(seq 1 "$N"); do
    curl -s -o /dev/null -w '%{http_code}\n' --interface "$($addr "$i")" \
      --data-urlencode "user=nobody-$name-$i" --data-urlencode 'password=a guess at a password' \
      "$URL/signin" >"$WORK/status.$i" &
    pids="$pids $!"
  done
  wait $pids
  t1=$(date +%s.%N)
  printf '%-12s %s in %s s\n' "$name" "$(cat "$WORK"/status.* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')" \
    "$(awk "BEGIN{printf \"%.1f\", $t1 - $t0}")"
}
one() { echo 127.0.0.1; }
each() { echo "127.0.$(( ($1 + 1) / 256 )).$(( ($1 + 1) % 256 ))"; }

before=$(entries)
printf 'idle         '; mem
round "one-address" one
printf '             '; mem
round "N-addresses" each
printf '             '; mem
after=$(entries)
echo "audit entries added: $((after - before)) (for $((2 * N)) attempts)"
if [ -z "${NO_TALLY_WAIT:-}" ]; then
  sleep 75
  tallied=$(entries)
  echo "audit entries added after the minute's tally: $((tallied - before))"
fi
printf 'end          '; mem
