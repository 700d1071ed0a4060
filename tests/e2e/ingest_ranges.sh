#!/bin/sh
# Range-parallel ingest: an events file cut into byte ranges (with
# OKRA_INGEST_MIN_RANGE even small files are cut, at many points) loads
# exactly as one range read by one thread: the cache byte for byte, the
# rejected rows, and the first bad row's line.  CSV with quoted fields
# holding newlines, commas and quotes across the cuts, CRLF, empty lines,
# events out of time order; JSON Lines; gzip (read as a stream).
. "$(dirname "$0")/lib.inc"

WS=$TMP/ws
mkdir -p "$WS/data"
cat >"$WS/okra.yaml" <<'EOF'
workspace: ranges
data:
  events: data/events.csv
  accounts: data/accounts.csv
metrics:
  - {id: all_events, type: count}
  - {id: multi, type: count, where: {note: "multi\nline, with \"quotes\""}}
  - {id: amount, type: sum, event: e3, property: amount}
  - {id: active, type: active, window: 7d}
EOF
awk 'BEGIN { print "account_id,created_at,tier";
             for (a = 0; a < 30; a++) printf "a%d,2025-12-01,%s\n", a, a % 3 ? "free" : "pro" }' \
	>"$WS/data/accounts.csv"

# gen_csv N BAD...: N events; a bad row of each kind listed after the
# row numbers given (BAD is "i:kind"); prints every bad row's line to
# $TMP/bad-lines.  Lines are counted as the reader counts them.
gen_csv() {
	awk -v n="$1" -v bad="$2" -v out="$TMP/bad-lines" '
	function ts(i, j) {
		j = (i % 17 == 0 && i > 600) ? i - 500 : i   # some out of order
		return sprintf("2026-01-%02dT%02d:%02d:%02d%sZ", 1 + int(j / 900) % 28,
		               int(j / 60) % 24, j % 60, (j * 7) % 60,
		               i % 5 == 0 ? sprintf(".%06d", (i * 7919) % 1000000) : "")
	}
	BEGIN {
		split(bad, kinds, ",")
		for (k in kinds) { split(kinds[k], kv, ":"); badat[kv[1]] = kv[2] }
		printf "" >out
		line = 1
		printf "timestamp,event,account_id,user_id,note,amount\n"
		for (i = 0; i < n; i++) {
			eol = i % 9 == 0 ? "\r\n" : "\n"
			if (i in badat) {
				line++
				k = badat[i]
				print line >>out
				if (k == "fields") printf "2026-01-02T00:00:00Z,oops,a1\n"
				else if (k == "ts") printf "yesterday,e1,a1,u1,,1\n"
				else if (k == "quote") { printf "2026-01-02T00:00:00Z,e1,a1,u1,x\"y,1\n" }
				else if (k == "blank") { printf "\n\n"; line++ }
				else if (k == "quoted") { printf "2026-01-02T00:00:00Z,,a1,u1,\"an\nempty\",2\n"; line++ }
			}
			acct = i % 11 == 0 ? "" : "a" (i * 7) % 41          # a30..a40 unknown
			user = (i % 13 == 0 && acct != "") ? "" : "u" (i * 3) % 211
			m = i % 6
			if (m == 0) { note = "\"multi\nline, with \"\"quotes\"\"\""; nl = 1 }
			else if (m == 1) { note = "plain"; nl = 0 }
			else if (m == 2) { note = "\"a,b\""; nl = 0 }
			else if (m == 3) { note = ""; nl = 0 }
			else if (m == 4) { note = "\"x\r\ny\n\nz\""; nl = 3 }
			else { note = "\"\"\"\""; nl = 0 }
			amount = i % 3 ? i % 100 : (i % 7 ? "" : "007")
			printf "%s,e%d,%s,%s,%s,%s%s", ts(i), i % 7, acct, user, note, amount, eol
			line += 1 + nl
		}
	}'
}

gen_jsonl() {
	awk -v n="$1" -v bad="$2" -v out="$TMP/bad-lines" '
	BEGIN {
		split(bad, kinds, ",")
		for (k in kinds) { split(kinds[k], kv, ":"); badat[kv[1]] = kv[2] }
		printf "" >out
		line = 0
		for (i = 0; i < n; i++) {
			if (i in badat) {
				line++
				print line >>out
				k = badat[i]
				if (k == "json") printf "{\"timestamp\":\"2026-01-02T00:00:00Z\",\"event\":\n"
				else if (k == "ts") printf "{\"timestamp\":\"soon\",\"event\":\"e1\",\"user_id\":\"u1\"}\n"
			}
			if (i % 97 == 0) { printf "\n"; line++ }
			j = (i % 17 == 0 && i > 600) ? i - 500 : i
			printf "{\"timestamp\":\"2026-01-%02dT%02d:%02d:%02dZ\",\"event\":\"e%d\",", \
			       1 + int(j / 900) % 28, int(j / 60) % 24, j % 60, (j * 7) % 60, i % 7
			if (i % 11) printf "\"account_id\":\"a%d\",", (i * 7) % 41
			printf "\"user_id\":\"u%d\",\"properties\":{\"note\":\"multi\\nline, \\\"q\\\"\",", (i * 3) % 211
			printf "\"amount\":%s,\"nested\":{\"k\":%s}}}%s\n", i % 100, i % 2 ? "true" : "null", \
			       i % 8 == 0 ? "\r" : ""
			line++
		}
	}'
}

# expect_out_status N: the reference load (shown by the last command)
# exited N.
expect_out_status() {
	CHECKS=$((CHECKS + 1))
	[ "$(head -1 "$TMP/out")" = "$1" ] ||
		{ fail "the load exited $(head -1 "$TMP/out"), expected $1"; sed 's/^/  | /' "$TMP/out"; }
}

# rejected_lines FILE: the line of each rejected row, in order.
rejected_lines() {
	grep -o '^"data/events[.a-z]*",[0-9]*,' "$1" | cut -d, -f2
}

# ingest THREADS RANGE [ARGS]: a fresh load, output in $TMP/out.
ingest() {
	threads=$1 range=$2
	shift 2
	rm -rf "$WS/.okra"
	OKRA_THREADS=$threads OKRA_INGEST_MIN_RANGE=$range "$OKRA" -C "$WS" ingest "$@" \
		>"$TMP/out" 2>&1
}

# same_load WHAT [ARGS]: every split loads what one range does.
same_load() {
	what=$1
	shift
	ingest 1 1000000000 "$@"
	ref_status=$?
	echo "$ref_status" >"$TMP/ref.status"
	cp "$TMP/out" "$TMP/ref.out"
	[ -f "$WS/.okra/cache/data.okc" ] && cp "$WS/.okra/cache/data.okc" "$TMP/ref.okc"
	rm -f "$TMP/ref.rejected"
	[ -f "$WS/.okra/rejected/events.csv" ] && cp "$WS/.okra/rejected/events.csv" "$TMP/ref.rejected"
	for range in 1 7 61 500 4093; do
		for threads in 1 2 3; do
			CHECKS=$((CHECKS + 1))
			ingest $threads $range "$@"
			status=$?
			if [ $status != $ref_status ] || ! cmp -s "$TMP/out" "$TMP/ref.out"; then
				fail "$what: threads $threads, ranges of $range bytes: output differs"
				diff "$TMP/ref.out" "$TMP/out" | head -5
			elif [ $status = 0 ] && ! cmp -s "$WS/.okra/cache/data.okc" "$TMP/ref.okc"; then
				fail "$what: threads $threads, ranges of $range bytes: cache differs"
			elif [ -f "$TMP/ref.rejected" ] &&
				! cmp -s "$WS/.okra/rejected/events.csv" "$TMP/ref.rejected"; then
				fail "$what: threads $threads, ranges of $range bytes: rejected rows differ"
			fi
		done
	done
}

# ---- CSV -------------------------------------------------------------

gen_csv 3000 "" >"$WS/data/events.csv"
same_load "csv"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 0
expect_out "ingested 3000 events"
ingest 2 97
expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-01-04 --format json
cp "$TMP/out" "$TMP/metrics.csv.json"
expect_out '"id":"multi","value":454'

# The workers hash the file as they read it: a file touched but not
# changed is still fresh (its crc32 in the cache is the file's).
inode=$(ls -i "$WS/.okra/cache/data.okc" | cut -d' ' -f1)
touch -d '2030-01-01' "$WS/data/events.csv"
expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-01-04 --format json
CHECKS=$((CHECKS + 1))
[ "$(ls -i "$WS/.okra/cache/data.okc" | cut -d' ' -f1)" = "$inode" ] ||
	fail "an unchanged file touched made the cache stale"
echo "x" >>"$WS/data/events.csv"
touch -d '2030-01-01' "$WS/data/events.csv"
expect_status 2 "$OKRA" -C "$WS" metrics --asof 2026-01-04 --format json
gen_csv 3000 "" >"$WS/data/events.csv"

# The same rows gzip-compressed (read as a stream): the same metrics.
gzip -c "$WS/data/events.csv" >"$WS/data/events.csv.gz"
sed 's|data/events.csv|data/events.csv.gz|' "$WS/okra.yaml" >"$TMP/okra.yaml" &&
	cp "$TMP/okra.yaml" "$WS/okra.yaml"
ingest 2 97
expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-01-04 --format json
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/out" "$TMP/metrics.csv.json" || fail "gzip: metrics differ from the plain file's"
sed 's|data/events.csv.gz|data/events.csv|' "$WS/okra.yaml" >"$TMP/okra.yaml" &&
	cp "$TMP/okra.yaml" "$WS/okra.yaml"
rm "$WS/data/events.csv.gz"

# A bad row in the second half stops the load at its line, whatever the
# split, and the previous cache stays.
ingest 2 61
cp "$WS/.okra/cache/data.okc" "$TMP/good.okc"
gen_csv 3000 "2210:fields" >"$WS/data/events.csv"
line=$(cat "$TMP/bad-lines")
same_load "csv, bad row"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 2
expect_out "data/events.csv:$line: error: expected 6 fields, found 3"
cp "$TMP/good.okc" "$TMP/keep.okc"
mkdir -p "$WS/.okra/cache" && cp "$TMP/good.okc" "$WS/.okra/cache/data.okc"
OKRA_THREADS=2 OKRA_INGEST_MIN_RANGE=61 "$OKRA" -C "$WS" ingest >"$TMP/out" 2>&1
CHECKS=$((CHECKS + 1))
cmp -s "$WS/.okra/cache/data.okc" "$TMP/keep.okc" || fail "a failed load changed the cache"

# Each kind of bad row in turn, first in file order wins.
for kind in ts quote quoted blank; do
	gen_csv 3000 "1700:$kind,2500:fields" >"$WS/data/events.csv"
	line=$(head -1 "$TMP/bad-lines")
	same_load "csv, bad row ($kind)"
	expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
	expect_out_status 2
	expect_out "data/events.csv:$line: error:"
done

# --skip-bad-rows: the rejected rows in file order with their lines.
gen_csv 3000 "5:fields,900:ts,1500:quote,1501:blank,2200:quoted,2999:fields" >"$WS/data/events.csv"
same_load "csv, skipped rows" --skip-bad-rows
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 0
expect_out "ingested 3000 events"
expect_out "6 bad rows skipped"
CHECKS=$((CHECKS + 1))
[ "$(rejected_lines "$TMP/ref.rejected")" = "$(cat "$TMP/bad-lines")" ] ||
	fail "rejected rows: lines $(rejected_lines "$TMP/ref.rejected" | tr '\n' ' ')"

# ---- JSON Lines --------------------------------------------------------

rm "$WS/data/events.csv"
sed 's|data/events.csv|data/events.jsonl|' "$WS/okra.yaml" >"$TMP/okra.yaml" &&
	cp "$TMP/okra.yaml" "$WS/okra.yaml"
gen_jsonl 3000 "" >"$WS/data/events.jsonl"
same_load "jsonl"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 0
expect_out "ingested 3000 events"

gen_jsonl 3000 "2400:json" >"$WS/data/events.jsonl"
line=$(cat "$TMP/bad-lines")
same_load "jsonl, bad row"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 2
expect_out "data/events.jsonl:$line: error: invalid JSON"

gen_jsonl 3000 "10:ts,1800:json,2900:ts" >"$WS/data/events.jsonl"
same_load "jsonl, skipped rows" --skip-bad-rows
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 0
expect_out "3 bad rows skipped"
CHECKS=$((CHECKS + 1))
[ "$(rejected_lines "$TMP/ref.rejected")" = "$(cat "$TMP/bad-lines")" ] ||
	fail "rejected rows: lines $(rejected_lines "$TMP/ref.rejected" | tr '\n' ' ')"

# ---- CSV with a JSON properties column (PostHog, Segment exports) -----

# gen_props N BAD: the events as a CSV export whose properties column
# holds a JSON object (quotes doubled, newlines inside escaped and raw),
# the account a key inside it, timestamps in Unix seconds; BAD is
# "i:json" for an object that does not close.
gen_props() {
	awk -v n="$1" -v bad="$2" -v out="$TMP/bad-lines" '
	BEGIN {
		split(bad, kinds, ",")
		for (k in kinds) { split(kinds[k], kv, ":"); badat[kv[1]] = kv[2] }
		printf "" >out
		line = 1
		printf "uuid,event,properties,timestamp,distinct_id\n"
		for (i = 0; i < n; i++) {
			if (i in badat) {
				line++
				print line >>out
				printf "x%d,e1,\"{\"\"$group_0\"\": \"\"a1\"\",\",1767312000,u1\n", i
			}
			j = (i % 17 == 0 && i > 600) ? i - 500 : i
			g = i % 11 ? sprintf("\"\"$group_0\"\": \"\"a%d\"\", ", (i * 7) % 41) : ""
			raw = i % 4 == 0 ? "\n" : ""
			printf "%d,e%d,\"{%s\"\"note\"\": \"\"multi\\nline, \\\"\"q\\\"\"\"\",%s \"\"amount\"\": %d, \"\"nested\"\": {\"\"k\"\": %s}}\",", \
			       i, i % 7, g, raw, i % 100, i % 2 ? "true" : "null"
			printf "%d,u%d%s\n", 1767225600 + int(j / 900) % 28 * 86400 + j % 86400, (i * 3) % 211, \
			       i % 8 == 0 ? "\r" : ""
			line += 1 + (raw != "")
		}
	}'
}
rm "$WS/data/events.jsonl"
cat >"$WS/okra.yaml" <<'EOF'
workspace: ranges
data:
  events:
    path: data/events.csv
    columns: {timestamp: timestamp, user_id: distinct_id, account_id: properties.$group_0}
  accounts: data/accounts.csv
metrics:
  - {id: all_events, type: count}
  - {id: multi, type: count, where: {note: "multi\nline, \"q\""}}
  - {id: amount, type: sum, event: e3, property: amount}
  - {id: active, type: active, window: 7d}
EOF
gen_props 3000 "" >"$WS/data/events.csv"
same_load "csv with json"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 0
expect_out "ingested 3000 events"
expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-01-04 --format json
expect_out '"id":"all_events","value":'
expect_no_out '"id":"multi","value":0'
expect_no_out '"id":"active","value":0'

gen_props 3000 "10:json,1800:json" >"$WS/data/events.csv"
line=$(head -1 "$TMP/bad-lines")
same_load "csv with json, bad row"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 2
expect_out "data/events.csv:$line: error: column \"properties\": invalid JSON"
same_load "csv with json, skipped rows" --skip-bad-rows
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out "2 bad rows skipped"

# A mapped key that no row has is an error once the whole file is read,
# however it was cut.
sed 's/\$group_0}/$group_1}/' "$WS/okra.yaml" >"$TMP/okra.yaml" && cp "$TMP/okra.yaml" "$WS/okra.yaml"
gen_props 3000 "" >"$WS/data/events.csv"
same_load "csv with json, unmatched key"
expect_status 0 cat "$TMP/ref.status" "$TMP/ref.out"
expect_out_status 2
expect_out 'okra.yaml maps account_id to "properties.$group_1", which none of the 3000 rows of this file has'
expect_out 'did you mean "properties.$group_0"?'
cat >"$WS/okra.yaml" <<'EOF'
workspace: ranges
data:
  events: data/events.jsonl
EOF
rm "$WS/data/events.csv"

# More distinct JSON keys than a file may have: the error at the same
# row however the file is cut (the ranges' key tables only see parts).
awk 'BEGIN { for (i = 0; i < 66000; i++)
	printf "{\"timestamp\":\"2026-01-02T00:00:00Z\",\"event\":\"e\",\"user_id\":\"u\",\"k%d\":1}\n", i }' \
	>"$WS/data/events.jsonl"
ingest 1 1000000000
cp "$TMP/out" "$TMP/ref.out"
for threads in 2 3; do
	CHECKS=$((CHECKS + 1))
	ingest $threads 65536
	cmp -s "$TMP/out" "$TMP/ref.out" ||
		fail "many keys: threads $threads: $(cat "$TMP/out")"
done
expect_status 0 cat "$TMP/ref.out"
expect_out "data/events.jsonl:65533: error: more than 65535 distinct keys"

finish
