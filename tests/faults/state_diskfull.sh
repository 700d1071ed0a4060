#!/bin/sh
# The state database on a full disk: a check-in says "disk full" (the
# first error, not what a later probe of the failed transaction says),
# exits 2 or answers 507, loses nothing already stored, and the server
# keeps serving; once there is room again, writes go on.
#
# Two ways to fill the disk: the fault-injection VFS of src/state/fault.c
# (OKRA_FAULT_DISK_FREE: the files may grow by that many bytes), always;
# and, when the test runs as root and may mount one, a real 320 KiB tmpfs
# filled up with a file.
. "$SRCDIR/tests/e2e/lib.inc"
. "$SRCDIR/tests/e2e/serve_lib.inc"

TOKEN=state-diskfull-token-0123456789
auth="Authorization: Bearer $TOKEN"
json="Content-Type: application/json"
MNT=""
trap 'stop_server; [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$TMP"' EXIT

# stored WS: the values of nps stored in WS, in order, on one line;
# okra checkins checks the whole database first (integrity_check).
stored() {
	"$OKRA" -C "$1" checkins nps --format json >"$TMP/rows" 2>&1 ||
		{ fail "okra checkins failed"; sed 's/^/  | /' "$TMP/rows"; }
	sed -n 's/.*"value":\([0-9]*\).*/\1/p' "$TMP/rows" | tr '\n' ' '
}

# expect_full: the last answer or output reports the full disk as the
# first error, and never the probe's "no transaction is active".
expect_full() {
	expect_out "disk full"
	expect_no_out "no transaction"
}

# post_until_full N: POSTs check-ins N, N+1, ... until one is answered
# 507 (at most 40); the values answered 201 are appended to $ok.
post_until_full() {
	v=$1
	while [ $v -lt $(($1 + 40)) ]; do
		req POST /api/checkins -H "$auth" -H "$json" \
			--data "{\"metric\":\"nps\",\"value\":$v,\"date\":\"2026-03-01\"}"
		[ "$STATUS" = 201 ] || break
		ok="$ok$v "
		v=$((v + 1))
	done
	CHECKS=$((CHECKS + 1))
	[ "$STATUS" = 507 ] || { fail "a check-in on a full disk answered $STATUS, expected 507"; head -c 400 "$TMP/out"; echo; }
	expect_json_error
	expect_full
	expect_no_out "$TMP"
}

# ---- injected: the command line --------------------------------------------
W="$TMP/ws"
"$OKRA" init "$W" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
expect_status 0 "$OKRA" -C "$W" checkin nps 1 --date 2026-03-01
OKRA_FAULT_DISK_FREE=0 expect_status 2 "$OKRA" -C "$W" checkin nps 2 --date 2026-03-01
expect_full
CHECKS=$((CHECKS + 1))
[ "$(stored "$W")" = "1 " ] || fail "after a full disk: $(stored "$W"), expected 1"
# A fresh database on a full disk: nothing is created half-way.
W0="$TMP/ws0"
"$OKRA" init "$W0" >/dev/null 2>&1
OKRA_FAULT_DISK_FREE=20000 expect_status 2 "$OKRA" -C "$W0" checkin nps 2 --date 2026-03-01
expect_full
expect_status 0 "$OKRA" -C "$W0" checkin nps 3 --date 2026-03-01
CHECKS=$((CHECKS + 1))
[ "$(stored "$W0")" = "3 " ] || fail "after a full disk at creation: $(stored "$W0"), expected 3"
OKRA_FAULT_DISK_FREE=lots expect_status 2 "$OKRA" -C "$W" checkin nps 2
expect_out "OKRA_FAULT_DISK_FREE must be a whole number of bytes"

# ---- injected: the server ----------------------------------------------------
# 30 KB: a few check-ins fit in the WAL, then the disk is full.
ok="1 "
OKRA_FAULT_DISK_FREE=30000 OKRA_TOKEN=$TOKEN start_server "$W" || finish
post_until_full 10
CHECKS=$((CHECKS + 1))
[ "$ok" != "1 " ] || fail "no check-in was stored before the disk was full"
alive
expect 200 GET /lint -H "Accept: text/html"
# The next write meets the same full disk, and the server is still up.
req POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":99,"date":"2026-03-01"}'
CHECKS=$((CHECKS + 1))
[ "$STATUS" = 507 ] || fail "the second check-in on a full disk answered $STATUS"
expect_full
alive
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"
CHECKS=$((CHECKS + 1))
[ "$(stored "$W")" = "$ok" ] || fail "stored: $(stored "$W"); answered 201: $ok"
expect_status 0 "$OKRA" -C "$W" checkin nps 98 --date 2026-03-01

# ---- a real full disk: a small tmpfs ------------------------------------------
if [ "$(id -u)" != 0 ]; then
	echo "skipped the tmpfs part: not root (the injected disk full ran)"
	finish
fi
MNT="$TMP/mnt"
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=320k okra-test "$MNT" 2>"$TMP/mount.err"; then
	MNT=""
	echo "skipped the tmpfs part: $(cat "$TMP/mount.err") (the injected disk full ran)"
	finish
fi
W="$MNT/ws"
"$OKRA" init "$W" >/dev/null 2>&1 || { fail "okra init on tmpfs failed"; finish; }
expect_status 0 "$OKRA" -C "$W" checkin nps 1 --date 2026-03-01
ok="1 "
OKRA_TOKEN=$TOKEN start_server "$W" || finish
head -c 1000000 /dev/zero >"$MNT/fill" 2>/dev/null
post_until_full 20
alive
rm -f "$MNT/fill"
expect 201 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":60,"date":"2026-03-01"}'
ok="${ok}60 "
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"
# The command line on the full disk: opening the database needs its
# shared-memory file, which cannot grow: still "disk full".
head -c 1000000 /dev/zero >"$MNT/fill" 2>/dev/null
expect_status 2 "$OKRA" -C "$W" checkin nps 61 --date 2026-03-01
expect_full
rm -f "$MNT/fill"
CHECKS=$((CHECKS + 1))
[ "$(stored "$W")" = "$ok" ] || fail "stored on tmpfs: $(stored "$W"); answered 201: $ok"
expect_status 0 "$OKRA" -C "$W" checkin nps 62 --date 2026-03-01
finish
