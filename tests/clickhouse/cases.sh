#!/bin/sh
# Both engines on every golden case: each case's commands and every
# metric as of four days, by each attribute and cohort, computed by the
# embedded engine and by ClickHouse (okra push, then --engine clickhouse)
# must agree: counts exactly, everything else within 1e-9 relative.  A
# case whose data the embedded ingest refuses must make okra push fail
# with the same message and exit status 2.
. "$(dirname "$0")/lib.inc"
ch_require
ch_skip_asan
ch_start one

# okra data: the files a table was loaded from are known to the embedded
# engine only, and the header names the engine; docs/data.md names these
# as the only parts that differ (the files section of the text, the
# "backend" and "files" fields of the JSON).  Every number stays.
backend_part() {
	sed -e '/^files (/,/^$/d' -e 's/^{"backend":"[a-z]*",$/{/' \
		-e '/^ "files":\[.*\],$/d' "$1" >"$1.cmp"
	mv "$1.cmp" "$1"
}

# compare NAME E C: text exactly, JSON within the tolerance.
compare() {
	ok
	if cmp -s "$2" "$3"; then
		return 0
	fi
	if "$JSON_CLOSE" "$2" "$3" >"$TMP/diff" 2>&1; then
		return 0
	fi
	fail "$1: the engines differ"
	sed 's/^/  | /' "$TMP/diff" | head -5
	diff "$2" "$3" | head -10 | sed 's/^/  | /'
}

n=0
for case in "$SRCDIR"/tests/cases/*/; do
	name=$(basename "$case")
	grep -q '^data:' "$case/okra.yaml" 2>/dev/null || continue
	n=$((n + 1))
	E=$TMP/e/$name C=$TMP/c/$name
	mkdir -p "$E" "$C"
	ch_workspace "$case" "$E" "case_$n"
	ch_workspace "$case" "$C" "case_$n"
	(cd "$E" && "$OKRA" --engine embedded ingest) >"$TMP/ingest" 2>&1
	ingest=$?
	(cd "$C" && "$OKRA" push) >"$TMP/push" 2>&1
	push=$?
	if [ $ingest != 0 ]; then
		ok
		[ $push = 2 ] || fail "$name: the ingest fails but okra push exited $push"
		sed 's/^okra: //' "$TMP/ingest" | grep -v '^error' >"$TMP/i1"
		sed 's/^okra: //' "$TMP/push" >"$TMP/p1"
		ok
		grep -qF -- "$(head -1 "$TMP/ingest")" "$TMP/push" ||
			fail "$name: okra push says '$(head -1 "$TMP/push")', the ingest '$(head -1 "$TMP/ingest")'"
		continue
	fi
	ok
	[ $push = 0 ] || { fail "$name: okra push exited $push"; sed 's/^/  | /' "$TMP/push"; continue; }
	# other workspaces of the case (okra -C DIR ...) on databases of
	# their own
	for sub in "$case"/*/; do
		sub=$(basename "$sub")
		grep -q '^data:' "$case/$sub/okra.yaml" 2>/dev/null || continue
		for W in "$E/$sub" "$C/$sub"; do
			grep -v '^engine:' "$W/okra.yaml" >"$W/okra.yaml.new"
			mv "$W/okra.yaml.new" "$W/okra.yaml"
			printf '\nengine:\n  clickhouse: {url: "%s", database: case_%s_%s}\n' \
				"$CH_URL" "$n" "$sub" >>"$W/okra.yaml"
		done
		(cd "$E/$sub" && "$OKRA" --engine embedded ingest) >/dev/null 2>&1
		ok
		(cd "$C/$sub" && "$OKRA" push) >"$TMP/push" 2>&1 ||
			{ fail "$name: okra push in $sub failed"; sed 's/^/  | /' "$TMP/push"; }
	done
	# the case's own commands, experiment readouts included
	if [ -f "$case/cmd" ]; then
		k=0
		while IFS= read -r args || [ -n "$args" ]; do
			[ -z "$args" ] && continue
			case "$args" in ingest*|push*) continue ;; esac
			k=$((k + 1))
			# shellcheck disable=SC2086
			(cd "$E" && "$OKRA" --engine embedded $args) >"$TMP/oe" 2>&1
			se=$?
			# shellcheck disable=SC2086
			(cd "$C" && "$OKRA" --engine clickhouse $args) >"$TMP/oc" 2>&1
			sc=$?
			case " $args " in
			*" data "*) backend_part "$TMP/oe"; backend_part "$TMP/oc" ;;
			esac
			ok
			[ $se = $sc ] || fail "$name: '$args' exits $se embedded, $sc on ClickHouse"
			compare "$name: $args" "$TMP/oe" "$TMP/oc"
		done <"$case/cmd"
	fi
	# every metric at four days and every segmentation
	last=$(cd "$E" && "$OKRA" --engine embedded metrics --format json 2>/dev/null |
		sed -n 's/.*"asof": *"\([0-9-]*\)".*/\1/p' | head -1)
	[ -n "$last" ] || continue
	attrs=$(cd "$E" && "$OKRA" --engine embedded metrics --by okra_no_such_attr 2>&1 |
		sed -n 's/.*table has: \(.*\); or cohort.*/\1/p' | tr -d ',')
	[ "$attrs" = "no attributes" ] && attrs=""
	for back in 0 7 30 90; do
		d=$(date -u -d "$last - $back days" +%Y-%m-%d)
		for by in "" cohort $attrs; do
			set -- --asof "$d" --format json
			[ -n "$by" ] && set -- "$@" --by "$by"
			(cd "$E" && "$OKRA" --engine embedded metrics "$@") >"$TMP/oe" 2>&1
			(cd "$C" && "$OKRA" --engine clickhouse metrics "$@") >"$TMP/oc" 2>&1
			compare "$name: metrics $*" "$TMP/oe" "$TMP/oc"
		done
	done
done
finish
