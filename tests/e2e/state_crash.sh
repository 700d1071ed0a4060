#!/bin/sh
# Nothing is lost (SPEC 7): a loop of `okra checkin` killed with SIGKILL,
# several times, leaves a database that passes okra's integrity check and
# holds every check-in the loop saw committed, none half-written; an
# import killed in the middle of its one transaction leaves none of its
# rows and everything that was there before.  Verified through okra only.
. "$(dirname "$0")/lib.inc"

ws="$TMP/ws"
"$OKRA" init "$ws" >/dev/null 2>&1 || fail "okra init failed"
# Whatever happens, no loop outlives the test (it also stops by itself
# when its workspace is gone, and after 3000 check-ins).
loop=""
trap '[ -n "$loop" ] && /usr/bin/kill -s KILL -- "-$loop" 2>/dev/null; rm -rf "$TMP"' EXIT
committed="$TMP/committed"
: >"$committed"

# check_consistent: every row's value matches its note ("loop N" or
# "import N"); every committed N is there once; prints the row count.
check_consistent() {
	CHECKS=$((CHECKS + 1))
	"$OKRA" -C "$ws" checkins nps --format json >"$TMP/rows" 2>&1 ||
		{ fail "okra checkins failed on the database left behind"; sed 's/^/  | /' "$TMP/rows"; return; }
	sed -n 's/^ *{"id":[0-9]*,"metric":"nps","date":"[0-9-]*","value":\([0-9]*\),"note":"\([a-z]*\) \([0-9]*\)",.*}.*$/\1 \2 \3/p' \
		"$TMP/rows" >"$TMP/parsed"
	rows=$(grep -c '"metric"' "$TMP/rows")
	[ "$rows" = "$(wc -l <"$TMP/parsed")" ] || fail "rows that are not whole check-ins: $(grep '"metric"' "$TMP/rows" | head -3)"
	awk '$1 != $3 { bad++ } END { exit bad > 0 }' "$TMP/parsed" || fail "a row whose value is not its note's"
	awk '$2 == "loop" { print $1 }' "$TMP/parsed" | sort >"$TMP/stored"
	[ -z "$(uniq -d "$TMP/stored")" ] || fail "a check-in stored twice"
	missing=$(sort "$committed" | comm -23 - "$TMP/stored" | head -3)
	[ -z "$missing" ] || fail "committed check-ins missing: $missing"
}

# ---- a loop of check-ins, killed five times -------------------------------
cat >"$TMP/loop.sh" <<EOF
i=\$1
while [ \$i -lt \$((\$1 + 3000)) ] && [ -d "$ws" ]; do
	"$OKRA" -C "$ws" checkin nps \$i --date 2026-10-01 --note "loop \$i" >/dev/null 2>&1 &&
		echo \$i >>"$committed"
	i=\$((i + 1))
done
EOF
next=1
for round in 1 2 3 4 5; do
	before=$(wc -l <"$committed")
	# Its own session, so one kill reaches the shell and the okra it runs.
	setsid sh "$TMP/loop.sh" "$next" &
	loop=$!
	waited=0
	while [ "$(wc -l <"$committed")" -lt $((before + 5)) ] && [ $waited -lt 600 ]; do
		sleep 0.05
		waited=$((waited + 1))
	done
	sleep "0.0$round" # land somewhere inside the next okra run
	/usr/bin/kill -s KILL -- "-$loop" || fail "could not kill the loop"
	wait "$loop" 2>/dev/null
	loop=""
	next=$((next + 10000))
done
n_committed=$(wc -l <"$committed")
[ "$n_committed" -ge 25 ] || fail "the loops committed only $n_committed check-ins"
check_consistent
# At most one check-in per kill can be stored without the loop having
# seen okra's exit status.
CHECKS=$((CHECKS + 1))
extra=$(($(wc -l <"$TMP/stored") - n_committed))
[ "$extra" -ge 0 ] && [ "$extra" -le 5 ] || fail "$extra check-ins stored that the loop did not see committed"
# The database takes writes again after the kills.
expect_status 0 "$OKRA" -C "$ws" checkin nps 7 --date 2026-10-02 --note "after 7"

# ---- an import killed inside its transaction ------------------------------
rows_before=$("$OKRA" -C "$ws" checkins nps --format json | grep -c '"metric"')
n=150000
awk -v n=$n 'BEGIN {
	print "{\"table\":\"okra\",\"format\":1}"
	for (i = 1; i <= n; i++)
		printf "{\"table\":\"checkin\",\"uid\":\"%016x\",\"metric\":\"nps\",\"date\":\"2026-09-01\",\"value\":%d,\"note\":\"import %d\",\"created_at\":\"2026-09-01T00:00:00.000000Z\"}\n", i, i, i
}' >"$TMP/big.jsonl"
"$OKRA" -C "$ws" import "$TMP/big.jsonl" >"$TMP/import.out" 2>&1 &
pid=$!
# The transaction spills pages into the WAL as it grows: kill once it has.
wal="$ws/.okra/okra.db-wal"
waited=0
while [ "$(stat -c %s "$wal" 2>/dev/null || echo 0)" -lt 2000000 ] && [ $waited -lt 3000 ] &&
	kill -0 "$pid" 2>/dev/null; do
	sleep 0.01
	waited=$((waited + 1))
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
status=$?
CHECKS=$((CHECKS + 1))
[ "$status" = 137 ] || fail "the import was not killed mid-way (exit status $status; make the file bigger)"
check_consistent
CHECKS=$((CHECKS + 1))
[ "$rows" = "$rows_before" ] || fail "a killed import left $((rows - rows_before)) rows"
# The same import, not killed, stores every row once.
expect_status 0 "$OKRA" -C "$ws" import "$TMP/big.jsonl"
expect_out "imported $n rows; 0 already present"
check_consistent
CHECKS=$((CHECKS + 1))
[ "$rows" = $((rows_before + n)) ] || fail "after the import: $rows rows, expected $((rows_before + n))"
finish
