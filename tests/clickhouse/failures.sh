#!/bin/sh
# The ClickHouse engine's failures are clear errors with exit status 2,
# and okra push never leaves half-written tables: an unreachable server,
# a wrong password, a password variable that is not set, a database not
# pushed yet, a table missing a column, a query the server rejects (-v
# shows its SQL), the server killed in the middle of a query or of a push,
# and settings that are refused rather than ignored.
. "$(dirname "$0")/lib.inc"
ch_require
ch_start one

W=$TMP/ws
mkdir -p "$W/data"
cat >"$W/data/accounts.csv" <<CSV
account_id,created_at,tier
a1,2026-01-05,pro
a2,2026-02-01,free
a3,2026-02-11,pro
a4,2026-02-20,
CSV
cat >"$W/data/users.csv" <<CSV
user_id,account_id,created_at
u1,a1,2026-01-05
u2,a2,2026-02-01
u3,a3,2026-02-11
CSV
{
	echo "timestamp,event,account_id,user_id,plan"
	for d in 01 02 03 04 05 06 07; do
		echo "2026-03-${d}T10:00:00Z,ping,a1,u1,pro"
		echo "2026-03-${d}T11:00:00Z,buy,,u2,free"
	done
} >"$W/data/events.csv"
base='workspace: failures
data:
  events: data/events.csv
  accounts: data/accounts.csv
  users: data/users.csv
metrics:
  - {id: events_7d, type: count, segments: [tier]}
  - {id: active_users, type: active, entity: user, window: 7d}'


# expect STATUS TEXT CMD...: the exit status and a line of the output.
expect() {
	want=$1 text=$2
	shift 2
	ok
	(cd "$W" && "$@") >"$TMP/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		fail "'$*' exited $got, expected $want"
		sed 's/^/  | /' "$TMP/out"
		return
	fi
	ok
	grep -qF -- "$text" "$TMP/out" || { fail "'$*' does not say '$text'"; sed 's/^/  | /' "$TMP/out"; }
}

engine() {
	printf '%s\nengine:\n  clickhouse: {url: "%s", database: fail_db%s}\n' "$base" "$1" "$2" >"$W/okra.yaml"
}

# Before okra push: the tables are not there.
engine "$CH_URL" ""
expect 2 "run \`okra push\`" "$OKRA" metrics
expect 0 "pushed 14 events, 4 accounts, 3 users" "$OKRA" push
expect 0 "active_users" "$OKRA" metrics

# An unreachable server.
engine "http://127.0.0.1:9" ""
expect 2 "cannot reach ClickHouse at http://127.0.0.1:9" "$OKRA" metrics
expect 2 "cannot reach ClickHouse" "$OKRA" push

# Login: a wrong password, a variable that is not set, the right one.
engine "$CH_URL" ", user: okra, password_env: OKRA_TEST_CH_PASSWORD"
OKRA_TEST_CH_PASSWORD=wrong expect 2 'refused the login of user "okra"' env OKRA_TEST_CH_PASSWORD=wrong "$OKRA" metrics
expect 2 "names the variable OKRA_TEST_CH_PASSWORD, which is not set" env -u OKRA_TEST_CH_PASSWORD "$OKRA" metrics
expect 0 "active_users" env OKRA_TEST_CH_PASSWORD=okra-test-secret "$OKRA" metrics
ok
grep -q okra-test-secret "$W/okra.yaml" "$W"/.okra/* 2>/dev/null && fail "the password was stored"

# Settings that are checked, never ignored.
engine "ftp://127.0.0.1:9" ""
expect 2 'must start with http:// or https://' "$OKRA" metrics
engine "$CH_URL" ", timeout_s: 0"
expect 2 '"timeout_s" must be a whole number from 1 to 86400' "$OKRA" metrics
engine "$CH_URL" ", clusterr: x"
expect 2 'unknown key "clusterr"' "$OKRA" metrics
engine "$CH_URL" ", cluster: no_such_cluster"
expect 2 'no cluster "no_such_cluster"' "$OKRA" push
expect 2 "the engine is embedded or clickhouse" "$OKRA" --engine duckdb metrics
printf '%s\n' "$base" >"$W/okra.yaml"
expect 2 "the clickhouse engine needs the server in okra.yaml" "$OKRA" metrics --engine clickhouse
expect 2 "okra push loads the data into ClickHouse" "$OKRA" push

# A table missing a column, a column of the wrong type (-v: the SQL).
engine "$CH_URL" ""
ch_query "$CH_HTTP" "ALTER TABLE fail_db.accounts DROP COLUMN created_at" >/dev/null
expect 2 'has no column "created_at"' "$OKRA" metrics
expect 0 "pushed" "$OKRA" push
ch_query "$CH_HTTP" "DROP TABLE fail_db.events" >/dev/null
ch_query "$CH_HTTP" "CREATE TABLE fail_db.events (ts String, event String, account_id String, user_id String) ENGINE = Log" >/dev/null
expect 2 "ClickHouse rejected a query" "$OKRA" metrics
expect 2 "the query was:" "$OKRA" -v metrics
expect 0 "pushed" "$OKRA" push
expect 0 "active_users" "$OKRA" metrics

# okra sql prints what the engine runs.
expect 0 "SELECT" "$OKRA" sql active_users --asof 2026-03-10

# Names okra's SQL keeps for itself are refused, not misread.
cp "$W/data/events.csv" "$TMP/events.csv"
sed '1s/plan$/okra_e/' "$TMP/events.csv" >"$W/data/events.csv"
expect 2 'the event property "okra_e" begins with okra_' "$OKRA" push
cp "$TMP/events.csv" "$W/data/events.csv"
ch_query "$CH_HTTP" "ALTER TABLE fail_db.accounts ADD COLUMN okra_segs Nullable(String)" >/dev/null
expect 2 'has a column "okra_segs"' "$OKRA" metrics
expect 0 "pushed" "$OKRA" push

# A push that fails leaves the previous tables whole: bad data stops it
# before anything is written.
before=$(ch_query "$CH_HTTP" "SELECT count() FROM fail_db.events")
cp "$W/data/events.csv" "$TMP/events.csv"
printf 'not-a-time,signup,a1,u1,\n' >>"$W/data/events.csv"
expect 2 "events.csv" "$OKRA" push
after=$(ch_query "$CH_HTTP" "SELECT count() FROM fail_db.events")
ok
[ "$before" = "$after" ] || fail "a refused push changed the events: $before -> $after"
cp "$TMP/events.csv" "$W/data/events.csv"

# A server that does not answer within timeout_s.
engine "$CH_URL" ", timeout_s: 1"
pid=$(cat "$TMP/one/pid")
kill -STOP "$pid"
expect 2 "did not answer within 1 s (engine.clickhouse.timeout_s)" "$OKRA" metrics
kill -CONT "$pid"
engine "$CH_URL" ""

# The server killed in the middle of a query: stopped, then killed.
pid=$(cat "$TMP/one/pid")
kill -STOP "$pid"
(cd "$W" && "$OKRA" metrics) >"$TMP/out" 2>&1 &
q=$!
sleep 1
kill -9 "$pid"
wait $q
st=$?
ok
[ $st = 2 ] || { fail "a query cut by a dying server exited $st"; sed 's/^/  | /' "$TMP/out"; }
ok
grep -qE "stopped answering during a query|cannot reach ClickHouse" "$TMP/out" ||
	{ fail "no clear error for a dying server"; sed 's/^/  | /' "$TMP/out"; }

# ... and in the middle of a push: the previous tables stay whole.
ch_restart one 127.0.0.1
before=$(ch_query "$CH_HTTP" "SELECT count() FROM fail_db.events")
tail -n +2 "$W/data/events.csv" >"$TMP/ev"
for i in 1 2 3 4 5 6 7 8; do cat "$TMP/ev" >>"$W/data/events.csv"; done
pid=$(cat "$TMP/one/pid")
kill -STOP "$pid"
(cd "$W" && "$OKRA" push) >"$TMP/out" 2>&1 &
q=$!
sleep 1
kill -9 "$pid"
wait $q
st=$?
ok
[ $st = 2 ] || { fail "a push cut by a dying server exited $st"; sed 's/^/  | /' "$TMP/out"; }
ch_restart one 127.0.0.1
after=$(ch_query "$CH_HTTP" "SELECT count() FROM fail_db.events")
ok
[ "$before" = "$after" ] || fail "a failed push changed the events: $before -> $after"
expect 0 "pushed 126 events" "$OKRA" push
expect 0 "active_users" "$OKRA" metrics
finish
