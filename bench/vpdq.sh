#!/bin/sh
# vPDQ hashing speed (issue 9): generates a 720p H.264 video with ffmpeg's testsrc
# (DURATION seconds at 30 fps, cached in WORKDIR), hashes it at one frame a second with
# the built "caseroom hash vpdq", and prints seconds of video hashed per second of wall
# time (best of RUNS), with ffmpeg decoding alone to /dev/null for comparison.
#
#   bench/vpdq.sh [DURATION] [RUNS] [WORKDIR]   defaults: 60, 3, /tmp/caseroom-bench-vpdq
set -eu
DURATION=${1:-60}
RUNS=${2:-3}
WORK=${3:-/tmp/caseroom-bench-vpdq}
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { echo "ffmpeg not on PATH: apt-get install ffmpeg" >&2; exit 1; }
mkdir -p "$WORK"
BIN="$WORK/caseroom"
go build -o "$BIN" ./cmd/caseroom
VIDEO="$WORK/testsrc-720p-$DURATION.mp4"
if [ ! -f "$VIDEO" ]; then
  ffmpeg -nostdin -v error -f lavfi -i "testsrc=size=1280x720:rate=30:duration=$DURATION" \
    -c:v libx264 -preset medium -pix_fmt yuv420p -g 250 "$VIDEO.tmp.mp4"
  mv "$VIDEO.tmp.mp4" "$VIDEO"
fi

# best_of CMD...: the shortest wall time in seconds of RUNS runs of CMD.
best_of() {
  best=""
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    s=$(date +%s.%N)
    "$@" >/dev/null
    e=$(date +%s.%N)
    best=$(awk -v s="$s" -v e="$e" -v b="$best" 'BEGIN { t = e - s; if (b == "" || t < b) b = t; print b }')
    i=$((i + 1))
  done
  echo "$best"
}

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
FRAMES=$("$BIN" hash vpdq "$VIDEO" | wc -l)
HASH=$(best_of "$BIN" hash vpdq "$VIDEO")
DECODE=$(best_of ffmpeg -nostdin -v error -i "$VIDEO" -map 0:v:0 -f null -)
printf 'video: %s (%s s, 1280x720, 30 fps, H.264), %s frames hashed\n' "$VIDEO" "$DURATION" "$FRAMES"
awk -v d="$DURATION" -v h="$HASH" -v f="$DECODE" 'BEGIN {
  printf "caseroom hash vpdq (1 frame/s): %.2f s wall, %.1fx real time\n", h, d / h
  printf "ffmpeg decode only:             %.2f s wall, %.1fx real time\n", f, d / f
}'
printf 'load average at the start: %s (2 CPUs)\n' "$LOAD"
