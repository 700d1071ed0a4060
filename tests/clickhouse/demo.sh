#!/bin/sh
# Both engines on the demo at 200k events: every metric as of four days,
# for everyone, by cohort and by each attribute, plus a series, a pinned
# segment, the status, the review and the experiment readouts, computed
# by the
# embedded engine, by ClickHouse on plain tables, and by ClickHouse over
# a 2-shard cluster of Distributed tables (two servers on 127.0.0.1 and
# 127.0.0.2): counts identical, everything else within 1e-9 relative.
. "$(dirname "$0")/lib.inc"
ch_require
ch_skip_asan
# both servers share their ports (the cluster names one TCP port), so a
# taken port on either address means a new pair for both
remote="<remote_servers><okra2><shard><replica><host>127.0.0.1</host><port>@TCP@</port></replica></shard><shard><replica><host>127.0.0.2</host><port>@TCP@</port></replica></shard></okra2></remote_servers>"
tries=0
until ch_ports && ch_try_start one 127.0.0.1 "$remote" && ch_try_start two 127.0.0.2 "$remote"; do
	ch_stop one
	tries=$((tries + 1))
	[ $tries -lt 10 ] || { echo "FAIL: the two clickhouse-servers did not start"; tail -5 "$TMP/one/server.err.log" "$TMP/two/server.err.log" 2>/dev/null; exit 1; }
done
URL1="http://127.0.0.1:$CH_HTTP"

W=$TMP/demo
"$OKRA" demo "$W" --events 200000 --seed 11 --end 2026-11-30 --no-review >/dev/null 2>&1 ||
	{ echo "FAIL: okra demo"; exit 1; }
grep -v '^engine:' "$W/okra.yaml" >"$W/okra.yaml.new" && mv "$W/okra.yaml.new" "$W/okra.yaml"
cp "$W/okra.yaml" "$W/okra.yaml.base"
(cd "$W" && "$OKRA" ingest) >/dev/null 2>&1

compare() {
	ok
	cmp -s "$2" "$3" && return 0
	"$JSON_CLOSE" "$2" "$3" >"$TMP/diff" 2>&1 && return 0
	fail "$1: the engines differ"
	sed 's/^/  | /' "$TMP/diff" | head -5
	diff "$2" "$3" | head -10 | sed 's/^/  | /'
}

for mode in plain distributed; do
	cp "$W/okra.yaml.base" "$W/okra.yaml"
	if [ $mode = plain ]; then
		printf 'engine:\n  clickhouse: {url: "%s", database: demo_plain}\n' "$URL1" >>"$W/okra.yaml"
	else
		printf 'engine:\n  clickhouse: {url: "%s", database: demo_shards, cluster: okra2}\n' "$URL1" >>"$W/okra.yaml"
	fi
	ok
	(cd "$W" && "$OKRA" push) >"$TMP/push" 2>&1 || { fail "$mode: okra push"; sed 's/^/  | /' "$TMP/push"; continue; }
	grep -q 'pushed 19' "$TMP/push" || fail "$mode: push summary: $(cat "$TMP/push")"
	if [ $mode = distributed ]; then
		# every shard holds part of the events, together all of them
		a=$(ch_query "$CH_HTTP" "SELECT count() FROM demo_shards.events_local")
		b=$(curl -s --data-binary "SELECT count() FROM demo_shards.events_local" "http://127.0.0.2:$CH_HTTP/")
		all=$(ch_query "$CH_HTTP" "SELECT count() FROM demo_shards.events")
		ok
		{ [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ $((a + b)) = "$all" ]; } ||
			fail "distributed: shards hold $a + $b events, the Distributed table $all"
		# an account's events sit on one shard
		split=$(ch_query "$CH_HTTP" "SELECT count() FROM (SELECT account_id FROM demo_shards.events_local GROUP BY account_id) GLOBAL ANY INNER JOIN (SELECT account_id FROM remote('127.0.0.2:$CH_TCP', demo_shards.events_local) GROUP BY account_id) USING account_id")
		ok
		[ "$split" = 0 ] || fail "distributed: $split accounts have events on both shards"
	fi
	for d in 2026-11-30 2026-11-20 2026-10-31 2026-09-15; do
		for by in "" cohort tier region; do
			set -- --asof "$d" --format json
			[ -n "$by" ] && set -- "$@" --by "$by"
			(cd "$W" && "$OKRA" --engine embedded metrics "$@") >"$TMP/oe" 2>&1
			(cd "$W" && "$OKRA" metrics "$@") >"$TMP/oc" 2>&1
			compare "$mode: metrics $*" "$TMP/oe" "$TMP/oc"
		done
	done
	for args in "series --all --grain week --from 2026-08-01 --to 2026-11-30 --format json" \
		"metrics --where tier=enterprise --asof 2026-11-15 --format json" \
		"series mrr --bridge --from 2026-01-01 --to 2026-11-30" \
		"status --asof 2026-11-30" \
		"review --asof 2026-11-30 --format json" \
		"experiments --asof 2026-11-30" \
		"experiment progress_indicator --asof 2026-11-30 --format json"; do
		# shellcheck disable=SC2086
		(cd "$W" && "$OKRA" --engine embedded $args) >"$TMP/oe" 2>&1
		# shellcheck disable=SC2086
		(cd "$W" && "$OKRA" $args) >"$TMP/oc" 2>&1
		compare "$mode: $args" "$TMP/oe" "$TMP/oc"
	done
	# okra data profiles the tables by SQL: the 2-shard cluster's profile
	# is the plain tables' (compared after the loop)
	(cd "$W" && "$OKRA" data --format json) >"$TMP/data.$mode" 2>&1 ||
		fail "$mode: okra data: $(head -3 "$TMP/data.$mode")"
	# okra sql --diagnose prints what diagnose runs: every statement runs
	# on the server, and the outcome counts it returns are the ones the
	# embedded engine's diagnosis shows for that candidate.
	ok
	(cd "$W" && "$OKRA" sql --diagnose --asof 2026-11-30) >"$TMP/dsql" 2>"$TMP/dsql.err" ||
		{ fail "$mode: okra sql --diagnose: $(cat "$TMP/dsql.err")"; continue; }
	(cd "$W" && "$OKRA" --engine embedded diagnose --asof 2026-11-30 --format json) 2>/dev/null |
		sed -n 's/.*"metric": "\([^"]*\)".*"met": \([0-9]*\), "met_active": \([0-9]*\), "not_met": \([0-9]*\), "not_met_active": \([0-9]*\).*/\1 \2 \3 \4 \5/p' >"$TMP/dcounts"
	n_sql=0 n_lift=0
	while IFS= read -r head && IFS= read -r sql; do
		n_sql=$((n_sql + 1))
		got=$(ch_query "$CH_HTTP" "${sql%;} FORMAT TSV")
		case $got in
		*Exception*) fail "$mode: $head: $(echo "$got" | head -c 300)" ;;
		esac
		case $head in
		*"(outcomes for the lift, in weekly_engaged_accounts)") ;;
		*) continue ;;
		esac
		n_lift=$((n_lift + 1))
		m=${head#-- }
		m=${m%% *}
		want=$(grep "^$m " "$TMP/dcounts" | cut -d' ' -f2-)
		[ "$(echo "$got" | tr '\t' ' ')" = "$want" ] ||
			fail "$mode: the lift counts of $m by its SQL: '$got', the diagnosis: '$want'"
	done <"$TMP/dsql"
	[ "$n_lift" -ge 5 ] && [ "$n_lift" = "$(wc -l <"$TMP/dcounts")" ] ||
		fail "$mode: okra sql --diagnose printed $n_lift outcome queries of $n_sql, the diagnosis has $(wc -l <"$TMP/dcounts") lifts"
done
ok
grep -q '"events"' "$TMP/data.plain" && cmp -s "$TMP/data.plain" "$TMP/data.distributed" ||
	{ fail "okra data: the 2-shard cluster's profile differs from the plain tables'"; diff "$TMP/data.plain" "$TMP/data.distributed" | head -10 | sed 's/^/  | /'; }
finish
