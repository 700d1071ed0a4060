#!/bin/sh
# Allocation failures in the state database's writes: SQLite's Nth memory
# allocation fails, and every one after it (OKRA_FAULT_NOMEM_AT, the
# fault-injection layer of src/state/fault.c), for N = 1, 20, 39, ... (a
# later check-in: 1, 12, 23, ...) until a check-in goes through.  Each run either succeeds or exits 2 with "out of
# memory" (never a crash or a sanitizer report); afterwards the database
# passes the integrity check, holds everything it held, and holds the
# check-in whole or not at all.  For the first check-in of a workspace
# (creating the database) and for a later one.
. "$SRCDIR/tests/e2e/lib.inc"

# rows WS: "value:note" of every nps check-in, in order, on one line.
rows() {
	"$OKRA" -C "$1" checkins nps --format json >"$TMP/rows" 2>&1 ||
		{ fail "okra checkins failed after an allocation failure"; sed 's/^/  | /' "$TMP/rows"; return; }
	sed -n 's/.*"value":\([0-9]*\),"note":"\([^"]*\)".*/\1:\2/p' "$TMP/rows" | tr '\n' ' '
}

# run_until_ok WS STEP LABEL: check-ins with OKRA_FAULT_NOMEM_AT = 1,
# 1+STEP, ... until one succeeds; $before holds the rows expected.
run_until_ok() {
	ws=$1 step=$2 label=$3
	n=1
	while :; do
		OKRA_FAULT_NOMEM_AT=$n "$OKRA" -C "$ws" checkin nps 5 --date 2026-03-01 --note "n$n" >"$TMP/run" 2>&1
		status=$?
		if [ "$status" = 0 ]; then
			before="${before}5:n$n "
			break
		fi
		CHECKS=$((CHECKS + 2))
		[ "$status" = 2 ] || { fail "$label, allocation $n fails: exit status $status"; sed 's/^/  | /' "$TMP/run"; break; }
		grep -q "out of memory" "$TMP/run" || { fail "$label, allocation $n fails: $(cat "$TMP/run")"; }
		got=$(rows "$ws")
		CHECKS=$((CHECKS + 1))
		[ "$got" = "$before" ] || [ "$got" = "${before}5:n$n " ] ||
			{ fail "$label, allocation $n fails: stored '$got', expected '$before'"; break; }
		before=$got
		n=$((n + step))
		[ $n -le 20000 ] || { fail "$label never succeeded"; break; }
	done
	echo "$label: $(((n - 1) / step + 1)) runs, allocation failures from 1 to $n"
	CHECKS=$((CHECKS + 1))
	[ "$(rows "$ws")" = "$before" ] || fail "$label: at the end $(rows "$ws"), expected $before"
}

W="$TMP/ws"
"$OKRA" init "$W" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
before=""
run_until_ok "$W" 19 "the first check-in"
CHECKS=$((CHECKS + 1))
[ -z "$(ls "$W/.okra" | grep -v '^okra\.db')" ] || fail "files left in .okra: $(ls "$W/.okra")"
run_until_ok "$W" 11 "a later check-in"
OKRA_FAULT_NOMEM_AT=x expect_status 2 "$OKRA" -C "$W" checkin nps 1
expect_out "OKRA_FAULT_NOMEM_AT must be a whole number of allocations"
finish
