#!/bin/sh
# okra export / okra import (SPEC 7): the state round-trips byte for byte
# through a fresh workspace, importing twice changes nothing, stdin and
# -o work; read commands never create the database; a corrupt, foreign or
# newer database file is refused with a clear error and left untouched.
. "$(dirname "$0")/lib.inc"

a="$TMP/a" b="$TMP/b" c="$TMP/c"
for ws in "$a" "$b" "$c"; do
	"$OKRA" init "$ws" >/dev/null 2>&1 || fail "okra init $ws failed"
done

# ---- reads never create the database --------------------------------------
expect_status 0 "$OKRA" -C "$a" checkins
expect_out "no check-ins"
expect_status 0 "$OKRA" -C "$a" confidence activation
expect_out "no confidence check-ins of activation"
expect_status 0 "$OKRA" -C "$a" export
expect_out '{"table":"okra","format":1}'
CHECKS=$((CHECKS + 1))
[ ! -e "$a/.okra" ] || fail "a read command created .okra/"

# ---- a state with every table ---------------------------------------------
expect_status 0 "$OKRA" -C "$a" checkin nps 41 --date 2026-10-01 --note "Q3 survey, n=412"
expect_out "checked in nps = 41 on 2026-10-01"
expect_status 0 "$OKRA" -C "$a" checkin nps -2.5 --date 2026-10-01
expect_status 0 "$OKRA" -C "$a" checkin nps 0.1
expect_status 0 "$OKRA" -C "$a" confidence activation 7 --date 2026-10-05 --note "on track"
expect_out "confidence in activation: 7/10 on 2026-10-05"
cat >"$TMP/history.jsonl" <<'EOF'
{"table":"okra","format":1}
{"table":"review","asof":"2026-10-05","created_at":"2026-10-05T17:00:00.000000Z"}
{"table":"snapshot","asof":"2026-10-05","key_result":"activation","value":0.41,"expected":0.4,"score":0.25,"status":"green"}
{"table":"snapshot","asof":"2026-10-05","key_result":"early_invites","value":null,"expected":0.2,"score":null,"status":"no data"}
{"table":"decision","uid":"00000000000000d1","experiment":"progress_indicator","date":"2026-10-26","decision":"ship","note":"+4 pts, p = 0.01","created_at":"2026-10-26T10:00:00.000000Z"}
{"table":"milestone","uid":"00000000000000e1","key_result":"activation","date":"2026-10-20","state":"done","note":"shipped","created_at":"2026-10-20T09:00:00.000000Z"}
EOF
expect_status 0 "$OKRA" -C "$a" import "$TMP/history.jsonl"
expect_out "imported 5 rows; 0 already present"
expect_status 0 "$OKRA" -C "$a" export
cp "$TMP/out" "$TMP/a.jsonl"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$TMP/a.jsonl")" = 10 ] || fail "export has $(wc -l <"$TMP/a.jsonl") lines, expected 10"
CHECKS=$((CHECKS + 1))
python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[0] == {"table": "okra", "format": 1}, lines[0]
tables = [l["table"] for l in lines[1:]]
assert tables == ["checkin"] * 3 + ["confidence", "review", "snapshot", "snapshot", "decision", "milestone"], tables
assert [l["value"] for l in lines[1:4]] == [41, -2.5, 0.1], lines[1:4]
' "$TMP/a.jsonl" || fail "the export is not the JSON Lines expected"

# ---- round trip: a fresh workspace gives the same bytes -------------------
expect_status 0 "$OKRA" -C "$b" import "$TMP/a.jsonl"
expect_out "imported 9 rows; 0 already present"
"$OKRA" -C "$b" export >"$TMP/b.jsonl" 2>&1
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/a.jsonl" "$TMP/b.jsonl" || { fail "the export after import differs"; diff "$TMP/a.jsonl" "$TMP/b.jsonl" | head; }
# Twice: nothing changes.
expect_status 0 "$OKRA" -C "$b" import "$TMP/a.jsonl"
expect_out "imported 0 rows; 9 already present"
"$OKRA" -C "$b" export >"$TMP/b2.jsonl" 2>&1
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/a.jsonl" "$TMP/b2.jsonl" || fail "a second import changed the state"
# From stdin, and -o writes the same bytes atomically.
expect_status 0 sh -c "'$OKRA' -C '$c' import - <'$TMP/a.jsonl'"
expect_out "imported 9 rows; 0 already present"
expect_status 0 "$OKRA" -C "$c" export -o "$TMP/c.jsonl"
expect_out "okra: wrote $TMP/c.jsonl"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/a.jsonl" "$TMP/c.jsonl" || fail "export -o differs from the export to stdout"
CHECKS=$((CHECKS + 1))
[ -z "$(ls "$TMP" | grep '\.tmp\.')" ] || fail "export -o left a temporary file"
# The as-of semantics survive the trip: the last same-day check-in wins.
expect_status 0 "$OKRA" -C "$b" checkins nps
expect_out "nps     2026-10-01   -2.5"

# ---- a bad line: file:line: reason, nothing imported ------------------------
sed '3s/"value":-2.5/"value":"-2.5"/' "$TMP/a.jsonl" >"$TMP/bad.jsonl"
mkdir -p "$TMP/d" && "$OKRA" init "$TMP/d/ws" >/dev/null 2>&1
expect_status 2 "$OKRA" -C "$TMP/d/ws" import "$TMP/bad.jsonl"
expect_out "$TMP/bad.jsonl:3: error: checkin: \"value\" must be a number"
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/d/ws/.okra/okra.db" ] || fail "a refused import created the database"

# ---- corrupt, foreign and newer files are refused and left as they are ----
check_refused() { # FILE MESSAGE: every state command fails, the file stays
	sum=$(cksum <"$1")
	for cmd in "checkin nps 5" "checkins" "confidence activation 5" "export" "import $TMP/a.jsonl"; do
		# shellcheck disable=SC2086
		expect_status 2 "$OKRA" -C "$ws" $cmd
		expect_out "$2"
	done
	CHECKS=$((CHECKS + 1))
	[ "$sum" = "$(cksum <"$1")" ] || fail "okra changed a file it refused"
}
ws="$TMP/e"
"$OKRA" init "$ws" >/dev/null 2>&1
mkdir -p "$ws/.okra"
head -c 20000 /dev/urandom >"$ws/.okra/okra.db"
check_refused "$ws/.okra/okra.db" "$ws/.okra/okra.db: error: the state database is corrupt or not a database"
rm -f "$ws/.okra/okra.db"*
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
db.execute("INSERT INTO notes (body) VALUES (?)", ("not okra",))
db.commit()' "$ws/.okra/okra.db"
check_refused "$ws/.okra/okra.db" "not an okra state database"
rm -f "$ws/.okra/okra.db"*
cp "$b/.okra/okra.db" "$ws/.okra/okra.db"
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA user_version = 42")
db.commit()' "$ws/.okra/okra.db"
check_refused "$ws/.okra/okra.db" "was written by a newer okra (schema version 42; this okra knows up to 4)"
finish
