#!/bin/sh
# bench/clickhouse.sh [EVENTS]: the metric suite on ClickHouse against the
# embedded engine.  Generates the demo workspace with EVENTS events
# (default 10M; `okra demo --seed 1 --end 2026-11-23`, kept in
# bench/work-ch/), starts one clickhouse-server (plain tables) and a
# second one on 127.0.0.2 (with the first: a 2-shard cluster of
# Distributed tables), both on this machine, pushes the data to both
# layouts, and times the suite `okra series --all --grain week --by tier`
# (every demo metric x 13 weekly as-of days x segments by tier) on the
# three engines, checking that their answers agree.  Developer tooling.
set -eu
cd "$(dirname "$0")/.."
events=${1:-10000000}
OKRA=${OKRA:-$PWD/build/okra}
SRCDIR=$PWD
JSON_CLOSE=${JSON_CLOSE:-$PWD/build/json_close}
[ -x "$OKRA" ] && [ -x "$JSON_CLOSE" ] || make all
export OKRA SRCDIR
. tests/clickhouse/lib.inc
ch_require
ch_ports
remote="<remote_servers><okra2><shard><replica><host>127.0.0.1</host><port>$CH_TCP</port></replica></shard><shard><replica><host>127.0.0.2</host><port>$CH_TCP</port></replica></shard></okra2></remote_servers>"
ch_start one 127.0.0.1 "$remote"
ch_start two 127.0.0.2 "$remote"
url="http://127.0.0.1:$CH_HTTP"

W=bench/work-ch/demo-$events
if [ ! -f "$W/okra.yaml.base" ]; then
	rm -rf "$W"
	mkdir -p bench/work-ch
	"$OKRA" demo "$W" --events "$events" --seed 1 --end 2026-11-23 --no-review >/dev/null
	grep -v '^engine:' "$W/okra.yaml" >"$W/okra.yaml.base"
fi
now() { date +%s.%N; }
secs() { awk "BEGIN { print $2 - $1 }"; }
suite="series --all --grain week --by tier --format json"

cp "$W/okra.yaml.base" "$W/okra.yaml"
(cd "$W" && "$OKRA" ingest) >/dev/null
t0=$(now)
# shellcheck disable=SC2086
(cd "$W" && "$OKRA" --engine embedded $suite) >"$TMP/embedded.json"
t1=$(now)
emb=$(secs "$t0" "$t1")
printf '| events | engine | okra push | suite | agrees with embedded |\n'
printf '| ---: | --- | ---: | ---: | --- |\n'
printf '| %s | embedded | – | %.2f s | – |\n' "$events" "$emb"
for mode in plain shards; do
	cp "$W/okra.yaml.base" "$W/okra.yaml"
	if [ $mode = plain ]; then
		printf 'engine:\n  clickhouse: {url: "%s", database: bench}\n' "$url" >>"$W/okra.yaml"
	else
		printf 'engine:\n  clickhouse: {url: "%s", database: bench2, cluster: okra2}\n' "$url" >>"$W/okra.yaml"
	fi
	t0=$(now)
	(cd "$W" && "$OKRA" push) >/dev/null
	t1=$(now)
	# shellcheck disable=SC2086
	(cd "$W" && "$OKRA" $suite) >"$TMP/$mode.json"
	t2=$(now)
	agree=yes
	"$JSON_CLOSE" "$TMP/embedded.json" "$TMP/$mode.json" >"$TMP/diff" || agree="no: $(head -1 "$TMP/diff")"
	printf '| %s | ClickHouse %s | %.1f s | %.2f s | %s |\n' "$events" \
		"$([ $mode = plain ] && echo "one server" || echo "2 shards")" \
		"$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" "$agree"
done
rows=$(ch_query "$CH_HTTP" "SELECT count() FROM bench.events")
echo "events rows in ClickHouse: $rows"
