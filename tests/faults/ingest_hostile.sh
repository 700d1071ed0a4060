#!/bin/sh
# Hostile data files: a FIFO, a device or a folder where a data file should
# be is refused at once with its name (a FIFO used to hang the ingest
# forever), and the previous cache stays in use.
. "$SRCDIR/tests/e2e/lib.inc"

ws="$TMP/ws"
mkdir -p "$ws/data"
cat >"$ws/okra.yaml" <<'YAML'
workspace: hostile
data:
  events: data/events.csv
  accounts: data/accounts.csv
  users: data/users.csv
metrics:
  - {id: pings, type: count, window: all}
YAML
printf 'timestamp,event,account_id,user_id\n2026-01-05T10:00:00Z,ping,a1,u1\n' >"$ws/data/events.csv"
printf 'account_id,created_at\na1,2026-01-01\n' >"$ws/data/accounts.csv"
printf 'user_id,account_id,created_at\nu1,a1,2026-01-01\n' >"$ws/data/users.csv"
expect_status 0 "$OKRA" -C "$ws" ingest
cp "$ws/data/users.csv" "$TMP/users.csv"

# hostile NAME KIND: data/NAME replaced by KIND (made by the caller) is
# refused within seconds, naming the file.
hostile() {
	expect_status 2 timeout 20 "$OKRA" -C "$ws" ingest
	expect_out "data/$1: error: is $2; only regular files are read"
	# Other commands (which ingest when the data changed) too.
	expect_status 2 timeout 20 "$OKRA" -C "$ws" metrics --asof 2026-01-31
	expect_out "data/$1: error: is $2"
}

rm "$ws/data/users.csv"
mkfifo "$ws/data/users.csv"
hostile users.csv "a FIFO"
rm "$ws/data/users.csv"

ln -s /dev/zero "$ws/data/users.csv"
hostile users.csv "a character device"
rm "$ws/data/users.csv"

mkdir "$ws/data/users.csv"
hostile users.csv "a folder"
rmdir "$ws/data/users.csv"

# A FIFO matched by a pattern is refused as well.
cp "$TMP/users.csv" "$ws/data/users.csv"
sed 's|events: data/events.csv|events: data/events*|' "$ws/okra.yaml" >"$TMP/y" && cp "$TMP/y" "$ws/okra.yaml"
mkfifo "$ws/data/events2.csv"
hostile events2.csv "a FIFO"
rm "$ws/data/events2.csv"

# The data is whole again: it loads.
expect_status 0 "$OKRA" -C "$ws" metrics --asof 2026-01-31 --format json
expect_out '"value":1'
finish
