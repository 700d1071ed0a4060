#!/bin/sh
# SIGKILL at each write step of the state database: the fault-injection
# VFS of src/state/fault.c (OKRA_FAULT_KILL_AT=N) kills okra just before
# its Nth write, sync or truncate of a database file, for N = 1, 2, ...
# until a run finishes without reaching N.  After every kill the database
# passes okra's integrity check, holds everything stored before, and holds
# the interrupted write whole or not at all; the next write succeeds.
# Covered: the first check-in (creating and migrating the database), a
# later check-in, a three-row import, and a check-in through okra serve.
. "$SRCDIR/tests/e2e/lib.inc"
. "$SRCDIR/tests/e2e/serve_lib.inc"

TOKEN=state-kill-token-0123456789

# rows WS: "value:note" of every nps check-in, in order, on one line
# (okra checkins verifies the whole database first).
rows() {
	"$OKRA" -C "$1" checkins nps --format json >"$TMP/rows" 2>&1 ||
		{ fail "okra checkins failed after a kill"; sed 's/^/  | /' "$TMP/rows"; return; }
	sed -n 's/.*"value":\([0-9]*\),"note":"\([^"]*\)".*/\1:\2/p' "$TMP/rows" | tr '\n' ' '
}

# one_of GOT A B: GOT is A or B.
one_of() {
	CHECKS=$((CHECKS + 1))
	[ "$1" = "$2" ] || [ "$1" = "$3" ] ||
		fail "$4: stored '$1', expected '$2' or '$3'"
}

# ---- the first check-in: create, migrate, insert ------------------------------
base="$TMP/base"
"$OKRA" init "$base" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
k=1
while :; do
	W="$TMP/first$k"
	cp -R "$base" "$W"
	OKRA_FAULT_KILL_AT=$k "$OKRA" -C "$W" checkin nps 5 --date 2026-03-01 --note first >/dev/null 2>&1
	status=$?
	[ "$status" = 0 ] && break
	CHECKS=$((CHECKS + 1))
	[ "$status" = 137 ] || { fail "kill at write $k of the first check-in: exit status $status"; break; }
	one_of "$(rows "$W")" "" "5:first " "killed at write $k of the first check-in"
	expect_status 0 "$OKRA" -C "$W" checkin nps 6 --date 2026-03-02 --note after
	rm -rf "$W"
	k=$((k + 1))
	[ $k -le 200 ] || { fail "the first check-in never finished"; break; }
done
echo "the first check-in: killed at each of its $((k - 1)) write steps"
CHECKS=$((CHECKS + 1))
[ $k -gt 3 ] || fail "only $((k - 1)) write steps were killed"

# ---- a later check-in ----------------------------------------------------------
W="$TMP/ws"
cp -R "$base" "$W"
expect_status 0 "$OKRA" -C "$W" checkin nps 1 --date 2026-03-01 --note one
expect_status 0 "$OKRA" -C "$W" checkin nps 2 --date 2026-03-01 --note two
before="1:one 2:two "
k=1
while :; do
	OKRA_FAULT_KILL_AT=$k "$OKRA" -C "$W" checkin nps 7 --date 2026-03-02 --note "kill$k" >/dev/null 2>&1
	status=$?
	[ "$status" = 0 ] && { before="${before}7:kill$k "; break; }
	CHECKS=$((CHECKS + 1))
	[ "$status" = 137 ] || { fail "kill at write $k: exit status $status"; break; }
	got=$(rows "$W")
	one_of "$got" "$before" "${before}7:kill$k " "killed at write $k of a check-in"
	before=$got
	k=$((k + 1))
	[ $k -le 200 ] || { fail "the check-in never finished"; break; }
done
echo "a later check-in: killed at each of its $((k - 1)) write steps"
CHECKS=$((CHECKS + 1))
[ $k -gt 2 ] || fail "only $((k - 1)) write steps were killed"

# ---- an import of three rows: all or none ----------------------------------------
{
	echo '{"table":"okra","format":1}'
	for i in 1 2 3; do
		printf '{"table":"checkin","uid":"00000000000000a%d","metric":"nps","date":"2026-03-03","value":%d,"note":"import","created_at":"2026-03-03T00:00:00.000000Z"}\n' $i $((40 + i))
	done
} >"$TMP/three.jsonl"
k=1
while :; do
	OKRA_FAULT_KILL_AT=$k "$OKRA" -C "$W" import "$TMP/three.jsonl" >/dev/null 2>&1
	status=$?
	[ "$status" = 0 ] && break
	CHECKS=$((CHECKS + 1))
	[ "$status" = 137 ] || { fail "kill at write $k of an import: exit status $status"; break; }
	got=$(rows "$W")
	one_of "$got" "$before" "${before}41:import 42:import 43:import " "killed at write $k of an import"
	[ "$got" = "$before" ] || break # stored whole before the kill
	k=$((k + 1))
	[ $k -le 200 ] || { fail "the import never finished"; break; }
done
echo "an import: killed at each of its $((k - 1)) write steps"
CHECKS=$((CHECKS + 1))
[ "$(rows "$W")" = "${before}41:import 42:import 43:import " ] || fail "after the import: $(rows "$W")"
before="${before}41:import 42:import 43:import "

# ---- a check-in through okra serve ---------------------------------------------
k=1
while :; do
	OKRA_FAULT_KILL_AT=$k OKRA_TOKEN=$TOKEN start_server "$W" || break
	req POST /api/checkins -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
		--data "{\"metric\":\"nps\",\"value\":8,\"date\":\"2026-03-04\",\"note\":\"serve$k\"}"
	if [ "$STATUS" = 201 ]; then
		stop_server
		before="${before}8:serve$k "
		break
	fi
	wait "$SPID" 2>/dev/null
	status=$?
	SPID=""
	CHECKS=$((CHECKS + 1))
	[ "$status" = 137 ] || { fail "kill at write $k of okra serve: exit status $status (answer $STATUS)"; break; }
	got=$(rows "$W")
	one_of "$got" "$before" "${before}8:serve$k " "okra serve killed at write $k of a check-in"
	before=$got
	k=$((k + 1))
	[ $k -le 100 ] || { fail "the served check-in never finished"; break; }
done
echo "a served check-in: killed at each of its $((k - 1)) write steps"
CHECKS=$((CHECKS + 1))
[ "$(rows "$W")" = "$before" ] || fail "at the end: $(rows "$W"), expected $before"
finish
