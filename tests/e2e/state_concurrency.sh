#!/bin/sh
# Two processes writing at once both succeed (SPEC 7; WAL and a busy
# timeout): two loops of 200 check-ins each, started together on a
# workspace without a database (so they also race to create and migrate
# it), give 400 rows and no failure; readers run beside them.
. "$(dirname "$0")/lib.inc"

ws="$TMP/ws"
"$OKRA" init "$ws" >/dev/null 2>&1 || fail "okra init failed"

cat >"$TMP/writer.sh" <<EOF
i=1
while [ \$i -le 200 ]; do
	"$OKRA" -C "$ws" checkin nps \$i --date 2026-10-01 --note "\$1 \$i" >/dev/null 2>>"$TMP/errors.\$1" ||
		echo "\$i" >>"$TMP/failed.\$1"
	i=\$((i + 1))
done
EOF
cat >"$TMP/reader.sh" <<EOF
while [ ! -f "$TMP/done" ]; do
	"$OKRA" -C "$ws" checkins nps --format json >/dev/null 2>>"$TMP/errors.reader" ||
		echo x >>"$TMP/failed.reader"
done
EOF
sh "$TMP/writer.sh" a &
a=$!
sh "$TMP/writer.sh" b &
b=$!
sh "$TMP/reader.sh" &
r=$!
wait "$a"
wait "$b"
: >"$TMP/done"
wait "$r"

for who in a b reader; do
	CHECKS=$((CHECKS + 1))
	[ ! -s "$TMP/failed.$who" ] ||
		{ fail "$who: $(wc -l <"$TMP/failed.$who") commands failed"; sed 's/^/  | /' "$TMP/errors.$who" | head -5; }
done
expect_status 0 "$OKRA" -C "$ws" checkins nps --format json
CHECKS=$((CHECKS + 1))
total=$(grep -c '"metric":"nps"' "$TMP/out")
[ "$total" = 400 ] || fail "$total rows, expected 400"
for who in a b; do
	CHECKS=$((CHECKS + 1))
	n=$(grep -c "\"note\":\"$who [0-9]*\"" "$TMP/out")
	[ "$n" = 200 ] || fail "writer $who: $n rows, expected 200"
done
finish
