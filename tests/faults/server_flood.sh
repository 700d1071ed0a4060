#!/bin/sh
# okra serve under floods of slow clients (okra_flood, tests/faults/flood.c),
# from several loopback addresses (Linux routes all of 127/8 to lo):
# - 600 connections from three addresses trickling a byte a second: a
#   fourth client is served within 1.5 s all along, each slow request is
#   cut --timeout (2 s) after its first byte, never answered, and an
#   address holds at most 64 connections;
# - 720 connections from twelve addresses, each under the per-address cap
#   but together past the server's 512: room is kept for new clients;
# - a kept-alive connection whose second request trickles is cut too;
# - the log stays short however many connections are refused or cut.
. "$SRCDIR/tests/e2e/lib.inc"
. "$SRCDIR/tests/e2e/serve_lib.inc"
: "${FLOOD:?FLOOD must point at okra_flood}"

W="$TMP/ws"
"$OKRA" init "$W" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
start_server "$W" --timeout 2 || finish

# probes ADDRESS N: N requests from ADDRESS, one a second, each answered
# 200 within 1.5 s.
probes() {
	i=0
	while [ $i -lt "$2" ]; do
		CHECKS=$((CHECKS + 1))
		got=$(curl -s -o /dev/null --interface "$1" --max-time 5 \
			-w '%{http_code} %{time_total}' "$BASE/api/lint")
		set -- "$1" "$2" $got
		[ "${3:-000}" = 200 ] && awk "BEGIN { exit !(${4:-9} < 1.5) }" ||
			fail "a client from $1 got '${3:-nothing}' after ${4:-?} s during the flood"
		sleep 1
		i=$((i + 1))
	done
}

# counts FILE: the counts okra_flood printed, as shell variables.
counts() {
	line=$(grep '^connections=' "$1")
	[ -n "$line" ] || { fail "okra_flood printed no counts"; sed 's/^/  | /' "$1"; return 1; }
	echo "  $line"
	eval "$line"
}

# ---- 600 slow connections from three addresses ----------------------------
"$FLOOD" "$PORT" 127.0.0.2 3 200 7 >"$TMP/flood1" 2>&1 &
flood=$!
sleep 1
probes 127.0.0.5 5
wait $flood
if counts "$TMP/flood1"; then
	CHECKS=$((CHECKS + 6))
	[ "$cut" -gt 0 ] || fail "no slow connection was cut"
	[ "$cut_min_ms" -ge 1800 ] || fail "a slow request was cut $cut_min_ms ms after its first byte, before the 2 s timeout"
	[ "$cut_max_ms" -le 3000 ] || fail "a slow request was cut only $cut_max_ms ms after its first byte (timeout 2 s)"
	[ "$oldest_open_ms" -le 3000 ] || fail "a slow request was still open $oldest_open_ms ms after its first byte"
	[ "$answered" = 0 ] || fail "$answered slow requests were answered"
	[ "$refused" -gt 0 ] || fail "no connection was refused past the per-address cap"
fi

# ---- the per-address cap: 100 connections from one address, 64 kept -------
"$FLOOD" "$PORT" 127.0.0.9 1 100 1 >"$TMP/flood2" 2>&1
if counts "$TMP/flood2"; then
	CHECKS=$((CHECKS + 1))
	[ "$open" = 64 ] || fail "$open connections open from one address, expected the cap of 64"
fi

# ---- 720 connections from twelve addresses: room for new clients -----------
"$FLOOD" "$PORT" 127.0.1.1 12 60 6 >"$TMP/flood3" 2>&1 &
flood=$!
sleep 1
probes 127.0.0.6 4
wait $flood
if counts "$TMP/flood3"; then
	CHECKS=$((CHECKS + 2))
	[ "$oldest_open_ms" -le 3000 ] || fail "a slow request was still open $oldest_open_ms ms after its first byte"
	[ "$answered" = 0 ] || fail "$answered slow requests were answered"
fi

# ---- a kept-alive connection whose next request trickles ------------------
"$FLOOD" "$PORT" 127.0.0.7 1 20 5 keepalive >"$TMP/flood4" 2>&1
if counts "$TMP/flood4"; then
	CHECKS=$((CHECKS + 3))
	[ "$cut" -ge 20 ] || fail "only $cut of 20 kept-alive slow requests were cut"
	[ "$cut_max_ms" -le 3000 ] || fail "a kept-alive slow request was cut only $cut_max_ms ms after its first byte"
	[ "$answered" = 0 ] || fail "$answered slow requests were answered"
fi

# The server still serves, logged the cuts, and kept its log short:
# thousands of refused and cut connections, a few lines each 5 s.
alive
CHECKS=$((CHECKS + 2))
grep -q "that sent no whole request within 2 s" "$TMP/serve.log" ||
	{ fail "the cuts were not logged"; tail -5 "$TMP/serve.log" | sed 's/^/  | /'; }
lines=$(grep -vc "^GET /api/lint 200" "$TMP/serve.log")
[ "$lines" -le 150 ] || { fail "the floods wrote $lines log lines"; sort "$TMP/serve.log" | uniq -c | sort -rn | head -5; }
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"
finish
