#!/bin/sh
# Video ingest speed (issue 9): makes N distinct 720p H.264 videos of DURATION seconds
# (ffmpeg's mandelbrot zoom from different points, 30 fps, 4 Mbit/s like a phone's video; cached in WORKDIR), then times
# "caseroom ingest" of the folder into a fresh store: hashing (SHA-256, SHA-1, MD5),
# ffprobe, vPDQ at one frame a second, storing, and matching every video against the
# others through the frame index. Prints seconds of video ingested per second of wall time.
#
#   bench/vpdq-ingest.sh [N=6] [DURATION=60] [WORKDIR=/tmp/caseroom-bench-vpdq-ingest]
set -eu
N=${1:-6}
DURATION=${2:-60}
WORK=${3:-/tmp/caseroom-bench-vpdq-ingest}
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { echo "ffmpeg not on PATH: apt-get install ffmpeg" >&2; exit 1; }
mkdir -p "$WORK/videos"
BIN="$WORK/caseroom"
go build -o "$BIN" ./cmd/caseroom
i=0
while [ "$i" -lt "$N" ]; do
  v="$WORK/videos/film-$i-$DURATION-4M.mp4"
  if [ ! -f "$v" ]; then
    ffmpeg -nostdin -v error -f lavfi -i "mandelbrot=size=1280x720:rate=30:start_x=-0.$((7 + i))43:start_y=-0.1$i" -t "$DURATION" \
      -c:v libx264 -preset veryfast -b:v 4M -maxrate 4M -bufsize 8M -pix_fmt yuv420p "$v.tmp.mp4"
    mv "$v.tmp.mp4" "$v"
  fi
  i=$((i + 1))
done
DATA="$WORK/data"
rm -rf "$DATA"
echo 'Bench-Password-For-Ingest-1' | "$BIN" user add bench --admin --data "$DATA" >/dev/null 2>&1
TOKEN=$("$BIN" token create --user bench --data "$DATA" 2>/dev/null)
PORT=$((20000 + $$ % 10000))
"$BIN" serve --data "$DATA" --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
sleep 2
CASE=$(curl -fs -H "Authorization: Bearer $TOKEN" -d '{"title":"Bench"}' "http://127.0.0.1:$PORT/api/v1/cases" | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -fs -H "Authorization: Bearer $TOKEN" -d '{"ref":"SB/1","description":"Disc","kind":"disc","seizedAt":"2026-11-20T09:00:00Z"}' \
  "http://127.0.0.1:$PORT/api/v1/cases/$CASE/exhibits" >/dev/null
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
s=$(date +%s.%N)
"$BIN" ingest --data "$DATA" --case "$CASE" --exhibit SB/1 --json "$WORK/videos" >"$WORK/summary.json"
e=$(date +%s.%N)
awk -v s="$s" -v e="$e" -v n="$N" -v d="$DURATION" 'BEGIN { t = e - s; printf "ingest of %d videos of %d s (720p H.264): %.2f s wall, %.1fx real time\n", n, d, t, n * d / t }'
grep -o '"new":[0-9]*\|"errors":[0-9]*' "$WORK/summary.json" | tr '\n' ' '; echo
echo "load average at the start: $LOAD ($(nproc) CPUs)"
