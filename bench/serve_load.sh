#!/bin/sh
# serve_load.sh - load test of okra serve (developer tooling, not in CI):
# wrk against the overview page and /api/metrics of the 1-million-event
# demo, each for SECONDS at CONNECTIONS connections.  Reports requests/s,
# wrk's latency percentiles, errors (socket errors and non-2xx answers),
# the latency a lone keep-alive client sees meanwhile (a curl probe of
# 2,000 sequential requests), and the server's resident memory before,
# during (every 10 s) and after each run, as the Markdown rows of
# docs/server.md.
#
# usage: bench/serve_load.sh [OKRA] [SECONDS] [CONNECTIONS]
#        (defaults: build/okra 60 64; needs wrk, a Debian package)
set -eu
cd "$(dirname "$0")/.."
OKRA=$(realpath "${1:-build/okra}")
SECONDS_=${2:-60}
CONN=${3:-64}
WORK=bench/work/serve-demo-1000000
command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

if [ ! -f "$WORK/okra.yaml" ]; then
	"$OKRA" demo "$WORK" --events 1000000 --seed 1 --end 2026-03-10 >/dev/null
fi
"$OKRA" -C "$WORK" ingest >/dev/null 2>&1 || true

LOG=$(mktemp -d)
trap 'kill -TERM $SPID 2>/dev/null; rm -rf "$LOG"' EXIT
"$OKRA" -C "$WORK" serve --port 0 --quiet >"$LOG/out" 2>"$LOG/err" &
SPID=$!
while ! grep -q serving "$LOG/out" 2>/dev/null; do sleep 0.1; done
PORT=$(sed -n 's|.*http://[^ ]*:\([0-9][0-9]*\)/.*|\1|p' "$LOG/out")
BASE="http://127.0.0.1:$PORT"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$SPID/status"; }

echo "okra $("$OKRA" --version | cut -d' ' -f2), $(nproc) cores, wrk -t2 -c$CONN -d${SECONDS_}s --latency, server pid $SPID"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (wrk and the server share the cores)"
echo
echo "| target | requests/s | p50 | p90 | p99 | max | requests | errors | probe p50 / p99 / max (n) | RSS start | RSS during (max) | RSS end |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for path in / /api/metrics; do
	# The first view computes and caches; the run measures what follows.
	curl -s -o /dev/null "$BASE$path"
	curl -s -o /dev/null "$BASE$path"
	start=$(rss)
	: >"$LOG/rss"
	( while kill -0 $SPID 2>/dev/null; do rss >>"$LOG/rss"; sleep 10; done ) &
	sampler=$!
	# A probe beside wrk: one keep-alive connection, sequential requests,
	# each timed by curl, as a user's browser would see the server under
	# the load.
	( sleep 5; i=0; while [ $i -lt 2000 ]; do echo "url = \"$BASE$path\""; echo "output = /dev/null"; i=$((i + 1)); done >"$LOG/probe.cfg"
	  curl -s -K "$LOG/probe.cfg" -w '%{time_total}\n' >"$LOG/probe" ) &
	probe=$!
	wrk -t2 -c"$CONN" -d"${SECONDS_}s" --timeout 10s --latency "$BASE$path" >"$LOG/wrk"
	wait $probe || true
	kill $sampler 2>/dev/null || true
	end=$(rss)
	peak=$(sort -n "$LOG/rss" | tail -1)
	rps=$(awk '/^Requests\/sec/ {print $2}' "$LOG/wrk")
	total=$(awk '/requests in/ {print $1}' "$LOG/wrk")
	p50=$(awk '$1 == "50%" {print $2}' "$LOG/wrk")
	p90=$(awk '$1 == "90%" {print $2}' "$LOG/wrk")
	p99=$(awk '$1 == "99%" {print $2}' "$LOG/wrk")
	max=$(awk '$1 == "Latency" {print $4}' "$LOG/wrk")
	sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$LOG/wrk")
	non2xx=$(awk '/Non-2xx/ {print $5}' "$LOG/wrk")
	errors=$(( ${sock:-0} + ${non2xx:-0} ))
	probe=$(sort -n "$LOG/probe" | awk '{v[NR] = $1} END {printf "%.1fms / %.1fms / %.1fms (%d)", v[int(NR * .5)] * 1000, v[int(NR * .99)] * 1000, v[NR] * 1000, NR}')
	samples=$(tr '\n' ' ' <"$LOG/rss")
	echo "| \`GET $path\` | $rps | $p50 | $p90 | $p99 | $max | $total | $errors | $probe | ${start} kB | ${peak:-$end} kB | ${end} kB |"
	echo "$path: RSS every 10 s (kB): $samples" >>"$LOG/samples"
	cp "$LOG/wrk" "bench/work/serve-wrk$(echo "$path" | tr '/' '_').txt"
done
echo
cat "$LOG/samples"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $SPID
wait $SPID
echo
echo "server stopped with status $? (raw wrk output in bench/work/serve-wrk_*.txt)"
