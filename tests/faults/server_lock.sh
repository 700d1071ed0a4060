#!/bin/sh
# okra serve while another process holds the state database's write lock
# (okra_dblock: BEGIN EXCLUSIVE, as a backup or a sqlite3 shell would):
# a check-in is answered 503 with Retry-After within a second, its JSON
# error never shows where the server keeps its files, reads go on, and
# once the lock is gone the same check-in is stored.  Also when the lock
# is already held as the server starts.
. "$SRCDIR/tests/e2e/lib.inc"
. "$SRCDIR/tests/e2e/serve_lib.inc"
: "${DBLOCK:?DBLOCK must point at okra_dblock}"

W="$TMP/ws"
TOKEN=server-lock-token-0123456789
"$OKRA" init "$W" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
W=$(cd "$W" && pwd -P)
auth="Authorization: Bearer $TOKEN"
json="Content-Type: application/json"
form="Content-Type: application/x-www-form-urlencoded"
locker=""
trap 'stop_server; [ -n "$locker" ] && kill "$locker" 2>/dev/null; rm -rf "$TMP"' EXIT

# lock SECONDS: another process holds the write lock for SECONDS.
lock() {
	: >"$TMP/lock.out"
	"$DBLOCK" "$W/.okra/okra.db" "$1" >"$TMP/lock.out" 2>&1 &
	locker=$!
	i=0
	while ! grep -q locked "$TMP/lock.out"; do
		i=$((i + 1))
		[ $i -le 100 ] && kill -0 "$locker" 2>/dev/null ||
			{ fail "okra_dblock did not take the lock"; sed 's/^/  | /' "$TMP/lock.out"; return 1; }
		sleep 0.05
	done
}
unlock() {
	kill "$locker" 2>/dev/null
	wait "$locker" 2>/dev/null
	locker=""
}

# busy PATH DATA [CURL ARGS]: 503 within 1.5 s, Retry-After, no path.
busy() {
	path=$1 data=$2; shift 2
	t0=$(date +%s%N)
	expect 503 POST "$path" "$@" --data "$data"
	ms=$((($(date +%s%N) - t0) / 1000000))
	CHECKS=$((CHECKS + 1))
	[ "$ms" -le 1500 ] || fail "the busy answer took $ms ms"
	expect_header "Retry-After: 1"
	expect_no_out "$W"
	expect_no_out "$TMP"
}

OKRA_TOKEN=$TOKEN start_server "$W" --timeout 5 || finish
expect 201 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":10,"date":"2026-03-01"}'

# ---- the lock held while requests come ------------------------------------
lock 20 || finish
busy /api/checkins '{"metric":"nps","value":11,"date":"2026-03-02"}' -H "$auth" -H "$json"
expect_json_error
expect_out "busy"
busy /api/confidence '{"kr":"'"$(sed -n 's/^ *- id: \([a-z_0-9]*\)$/\1/p' "$W"/okrs/*.yaml | sed -n 2p)"'","value":6}' -H "$auth" -H "$json"
busy /forms/checkin "metric=nps&value=12&token=$TOKEN&back=%2Fmetrics%2Fnps" -H "$form"
# Reads are not held up by the lock.
expect 200 GET /api/lint
expect 200 GET /lint -H "Accept: text/html"
unlock
expect 201 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":11,"date":"2026-03-02"}'
stop_server

# ---- the lock already held when the server starts -------------------------
lock 20 || finish
OKRA_TOKEN=$TOKEN start_server "$W" --timeout 5 || finish
busy /api/checkins '{"metric":"nps","value":13,"date":"2026-03-03"}' -H "$auth" -H "$json"
expect_json_error
unlock
expect 201 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":13,"date":"2026-03-03"}'
alive
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"

# Exactly the check-ins that were answered 201 are stored.
expect_status 0 "$OKRA" -C "$W" checkins nps
CHECKS=$((CHECKS + 1))
[ "$(awk '$2 == "nps" { printf "%s=%s ", $3, $4 }' "$TMP/out")" = "2026-03-01=10 2026-03-02=11 2026-03-03=13 " ] ||
	{ fail "the stored check-ins are not exactly those answered 201"; sed 's/^/  | /' "$TMP/out"; }
finish
