#!/bin/sh
# A cache write killed at any step leaves the previous cache whole and in
# use, and its temporary is removed by the next command; a temporary that
# a live writer holds is never removed.  The kill comes from an
# LD_PRELOAD library ($FAULT_KILL_AT) that sends SIGKILL at the Nth step
# of writing .okra/cache/data.okc.tmp.<pid>: creating it, each write,
# closing it, renaming it.
. "$SRCDIR/tests/e2e/lib.inc"
: "${FAULT_KILL_AT:?FAULT_KILL_AT must point at the kill library}"
# An ASan build of okra must accept a library preloaded before its
# runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

ws="$TMP/ws"
cache="$ws/.okra/cache"
mkdir -p "$ws/data"
cat >"$ws/okra.yaml" <<'YAML'
workspace: kill
data:
  events: data/events.csv
metrics:
  - {id: pings, type: count, window: all}
YAML
{
	echo "timestamp,event,account_id"
	i=0
	while [ $i -lt 300 ]; do
		echo "2026-01-05T10:00:00Z,ping,a$i"
		i=$((i + 1))
	done
} >"$ws/data/events.csv"

pings() { "$OKRA" -C "$ws" metrics --asof 2026-01-31 --format json 2>&1; }
value() { sed -n 's/.*"value":\([0-9]*\).*/\1/p' "$TMP/out" | head -1; }

expect_status 0 "$OKRA" -C "$ws" ingest
cp "$cache/data.okc" "$TMP/first.okc"

# ---- kill at every step of the write --------------------------------------
n=1
steps=""
while [ $n -le 5000 ]; do
	rm -f "$TMP/steps"
	LD_PRELOAD="$FAULT_KILL_AT" KILL_PATH="data.okc.tmp." KILL_AT=$n \
		KILL_STEPS="$TMP/steps" "$OKRA" -C "$ws" ingest >"$TMP/kill.out" 2>&1
	status=$?
	if [ $status = 0 ]; then
		steps=$(cat "$TMP/steps" 2>/dev/null)
		break
	fi
	CHECKS=$((CHECKS + 1))
	[ $status = 137 ] || { fail "step $n: okra ingest exited $status, not killed"; sed 's/^/  | /' "$TMP/kill.out"; break; }
	# Killed before the rename: the cache is the one before, byte for
	# byte; once it created the temporary, that is still there.
	CHECKS=$((CHECKS + 1))
	cmp -s "$cache/data.okc" "$TMP/first.okc" || fail "step $n: the cache changed under a killed write"
	if [ $n -gt 1 ]; then
		CHECKS=$((CHECKS + 1))
		ls "$cache"/data.okc.tmp.* >/dev/null 2>&1 || fail "step $n: no temporary left behind (was the kill too early?)"
	fi
	# The next command uses that cache (the data did not change) and
	# removes the temporary.
	pings >"$TMP/out"
	CHECKS=$((CHECKS + 1))
	[ "$(value)" = 300 ] || { fail "step $n: the command after the kill counts '$(value)' pings, not 300"; sed 's/^/  | /' "$TMP/out"; }
	CHECKS=$((CHECKS + 1))
	! ls "$cache"/data.okc.tmp.* >/dev/null 2>&1 || fail "step $n: the temporary outlived the next command: $(ls "$cache")"
	CHECKS=$((CHECKS + 1))
	cmp -s "$cache/data.okc" "$TMP/first.okc" || fail "step $n: the next command wrote the cache again though nothing changed"
	n=$((n + 1))
done
CHECKS=$((CHECKS + 1))
[ -n "$steps" ] && [ "$steps" -gt 3 ] && [ $n -gt "$steps" ] ||
	fail "the write was not killed at every one of its steps (steps '$steps', last kill at $((n - 1)))"
echo "killed at each of $((n - 1)) steps of a cache write of $steps steps"

# ---- a killed write and new data: the next command reads the new data -----
echo "2026-01-06T10:00:00Z,ping,a1" >>"$ws/data/events.csv"
LD_PRELOAD="$FAULT_KILL_AT" KILL_PATH="data.okc.tmp." KILL_AT=5 \
	"$OKRA" -C "$ws" ingest >/dev/null 2>&1
pings >"$TMP/out"
CHECKS=$((CHECKS + 1))
[ "$(value)" = 301 ] || fail "after a killed write and a new row: '$(value)' pings, not 301"
CHECKS=$((CHECKS + 1))
! ls "$cache"/data.okc.tmp.* >/dev/null 2>&1 || fail "a temporary outlived the re-ingest: $(ls "$cache")"

# ---- a temporary whose writer holds the lock stays -------------------------
: >"$cache/data.okc.tmp.999999"
flock -s "$cache/write.lock" sleep 3 &
holder=$!
sleep 0.3
expect_status 0 "$OKRA" -C "$ws" ingest
CHECKS=$((CHECKS + 1))
[ -f "$cache/data.okc.tmp.999999" ] || fail "a temporary was removed while a writer held the lock"
wait $holder
pings >"$TMP/out"
CHECKS=$((CHECKS + 1))
[ ! -f "$cache/data.okc.tmp.999999" ] || fail "a stale temporary outlived the next command once the lock was free"
finish
