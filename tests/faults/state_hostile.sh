#!/bin/sh
# Hostile files where okra keeps its state: .okra/okra.db (or its -wal,
# -shm, -journal) as a FIFO, a directory, a device, a symbolic link, cut
# short or random bytes; .okra/token as a FIFO; an endless import.  Each is
# refused at once with a clear error naming the file, never waited on,
# followed, written or truncated; okra serve starts anyway, answers writes
# 503 without showing its paths, and refuses a hostile token file.
. "$SRCDIR/tests/e2e/lib.inc"
. "$SRCDIR/tests/e2e/serve_lib.inc"

base="$TMP/base"
"$OKRA" init "$base" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
TOKEN=state-hostile-token-0123456789

# fresh: a workspace $W with an empty .okra/.
n=0
fresh() {
	n=$((n + 1))
	W="$TMP/ws$n"
	cp -R "$base" "$W"
	mkdir -p "$W/.okra"
	W=$(cd "$W" && pwd -P)
}

# refused TEXT CMD...: exits 2 within 10 s (a FIFO must not block it) and
# says TEXT.
refused() {
	text=$1; shift
	expect_status 2 timeout 10 "$@"
	expect_out "$text"
}

# ---- the database as something else ----------------------------------------
fresh; mkfifo "$W/.okra/okra.db"
refused "okra.db: error: is a FIFO, not a regular file" "$OKRA" -C "$W" checkins
refused "is a FIFO" "$OKRA" -C "$W" checkin nps 3
fresh; mkdir "$W/.okra/okra.db"
refused "is a directory" "$OKRA" -C "$W" checkin nps 3
fresh; ln -s /dev/zero "$W/.okra/okra.db"
refused "is a symbolic link" "$OKRA" -C "$W" checkins
refused "is a symbolic link" "$OKRA" -C "$W" checkin nps 3
# A dangling link is not followed: nothing is created where it points.
fresh; ln -s "$TMP/elsewhere.db" "$W/.okra/okra.db"
refused "is a symbolic link" "$OKRA" -C "$W" checkin nps 3
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/elsewhere.db" ] || fail "okra created the target of a dangling link"
# A WAL planted as a link to another file: that file is never truncated.
fresh
expect_status 0 "$OKRA" -C "$W" checkin nps 1
echo "precious" >"$TMP/victim"
ln -s "$TMP/victim" "$W/.okra/okra.db-wal"
refused "okra.db-wal: error: is a symbolic link" "$OKRA" -C "$W" checkin nps 2
refused "okra.db-wal: error: is a symbolic link" "$OKRA" -C "$W" checkins
CHECKS=$((CHECKS + 1))
[ "$(cat "$TMP/victim")" = precious ] || fail "the file behind a planted -wal link changed"
fresh
expect_status 0 "$OKRA" -C "$W" checkin nps 1
mkfifo "$W/.okra/okra.db-journal"
refused "okra.db-journal: error: is a FIFO" "$OKRA" -C "$W" checkin nps 2

# ---- a database cut short, and random bytes: refused, left as they are -------
fresh
expect_status 0 "$OKRA" -C "$W" checkin nps 1
head -c 8192 "$W/.okra/okra.db" >"$TMP/short.db"
cp "$TMP/short.db" "$W/.okra/okra.db"
refused "corrupt" "$OKRA" -C "$W" checkin nps 2
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/short.db" "$W/.okra/okra.db" || fail "a database cut short was written to"
fresh
head -c 65536 /dev/urandom >"$TMP/random.db"
cp "$TMP/random.db" "$W/.okra/okra.db"
refused "not a database" "$OKRA" -C "$W" checkin nps 2
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/random.db" "$W/.okra/okra.db" || fail "a file of random bytes was written to"

# ---- an endless import ---------------------------------------------------------
fresh
refused "the import is larger than 256 MiB" "$OKRA" -C "$W" import /dev/zero
CHECKS=$((CHECKS + 1))
[ ! -e "$W/.okra/okra.db" ] || fail "a refused import created the database"

# ---- okra serve beside a hostile database --------------------------------------
fresh; mkfifo "$W/.okra/okra.db"
OKRA_TOKEN=$TOKEN start_server "$W" || finish
expect 503 POST /api/checkins -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
	--data '{"metric":"nps","value":1}'
expect_json_error
expect_out "the state database is not available: .okra/okra.db: is a FIFO"
expect_no_out "$W"
expect 200 GET /api/lint
stop_server

# ---- a FIFO as the token file: refused at start, not waited on -----------------
fresh; mkfifo "$W/.okra/token"
refused "the token file is not a regular file" "$OKRA" -C "$W" serve --port 0
finish
