#!/bin/sh
# Global options, help, usage errors and exit statuses.
. "$(dirname "$0")/lib.inc"

expect_status 0 "$OKRA" --version
expect_out "okra 0."
expect_status 0 "$OKRA" help
expect_out "usage: okra [-C DIR] [--color=WHEN] [--engine E] [-v] COMMAND"
expect_status 0 "$OKRA" help lint
expect_out "usage: okra lint"
expect_status 2 "$OKRA" help frobnicate
expect_out "no help for unknown command 'frobnicate'"
expect_status 2 "$OKRA"
expect_status 2 "$OKRA" frobnicate
expect_out "unknown command 'frobnicate'"
expect_status 2 "$OKRA" --frob
expect_out "unknown option '--frob'"
expect_status 2 "$OKRA" --versoin
expect_out "okra: unknown option '--versoin'; did you mean '--version'?"
expect_status 2 "$OKRA" -C
expect_out "okra: option '-C' needs a value (DIR)"
expect_status 2 "$OKRA" -C "$TMP/nowhere" lint
expect_out "no such folder"
mkdir -p "$TMP/empty"
expect_status 2 "$OKRA" -C "$TMP/empty" lint
expect_out "no okra.yaml in"
expect_status 2 "$OKRA" lint --format yaml
expect_out "unknown format 'yaml'"

# Every command answers -h and --help with its usage (and never takes it
# for an argument: okra init --help used to create a folder '--help').
for cmd in $("$OKRA" help | sed -n 's/^  okra \([a-z]*\).*/\1/p' | sort -u); do
	expect_status 0 "$OKRA" "$cmd" -h
	expect_out "usage: okra $cmd"
	expect_status 0 "$OKRA" "$cmd" --help
	expect_out "usage: okra $cmd"
done
(cd "$TMP" && "$OKRA" init --help >/dev/null 2>&1)
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/--help" ] || fail "okra init --help created a folder"
# A mistyped command gets the nearest one.
expect_status 2 "$OKRA" statsu
expect_out "unknown command 'statsu'; did you mean 'status'?"
# -o - is standard output.
ws="$TMP/o"
"$OKRA" init "$ws" >/dev/null 2>&1
expect_status 0 "$OKRA" -C "$ws" export -o -
expect_out '{"table":"okra"'
expect_no_out "okra: wrote"
CHECKS=$((CHECKS + 1))
[ ! -e "$ws/-" ] || fail "export -o - wrote a file named '-'"

# ---- .okra/ stays out of git ----------------------------------------------
CHECKS=$((CHECKS + 1))
grep -qx '.okra/' "$ws/.gitignore" || fail "okra init wrote no .gitignore ignoring .okra/"
# An existing .gitignore (a repository's) gets the line appended, once.
mkdir -p "$TMP/repo"
printf 'node_modules/\n*.log' >"$TMP/repo/.gitignore"
expect_status 0 "$OKRA" init "$TMP/repo"
CHECKS=$((CHECKS + 1))
[ "$(head -1 "$TMP/repo/.gitignore")" = "node_modules/" ] && grep -qx '\*.log' "$TMP/repo/.gitignore" &&
	[ "$(grep -cx '.okra/' "$TMP/repo/.gitignore")" = 1 ] || { fail "init did not append to an existing .gitignore"; cat "$TMP/repo/.gitignore"; }
mkdir -p "$TMP/repo2"
printf '/.okra\n' >"$TMP/repo2/.gitignore"
expect_status 0 "$OKRA" init "$TMP/repo2"
CHECKS=$((CHECKS + 1))
[ "$(cat "$TMP/repo2/.gitignore")" = "/.okra" ] || fail "init changed a .gitignore that already ignores .okra"
expect_status 0 "$OKRA" demo "$TMP/demo" --events 2000 --no-review
CHECKS=$((CHECKS + 1))
grep -qx '.okra/' "$TMP/demo/.gitignore" || fail "okra demo wrote no .gitignore ignoring .okra/"
# okra sql prints the ClickHouse engine's SQL (tests/clickhouse runs it);
# --diagnose names its own metrics.
expect_status 2 "$OKRA" -C "$TMP/demo" sql --diagnose activation_rate
expect_out "okra sql: --diagnose prints the SQL of okra diagnose, which names its own metrics"
expect_status 2 "$OKRA" -C "$TMP/demo" sql --diagnose --by tier
expect_out "has no --by or --where"
expect_status 2 "$OKRA" -C "$TMP/demo" sql
expect_out "or okra sql --diagnose"
expect_status 2 "$OKRA" -C "$TMP/demo" sql --diagnose
expect_out "the clickhouse engine needs the server in okra.yaml"

# ---- one option parser, one wording --------------------------------------
expect_status 2 "$OKRA" -C "$ws" series nps --frm 2026-01-01
expect_out "okra series: unknown option '--frm'; did you mean '--from'?"
expect_out "run 'okra help series' for usage"
expect_status 2 "$OKRA" -C "$ws" metrics --asof
expect_out "okra metrics: option '--asof' needs a value (D)"
expect_status 2 "$OKRA" -C "$ws" review -o
expect_out "okra review: option '-o' needs a value (FILE)"
expect_status 2 "$OKRA" -C "$ws" lint --no-data=yes
expect_out "okra lint: option '--no-data' takes no value, not 'yes'"
expect_status 2 "$OKRA" -C "$ws" series --f week
expect_out "okra series: option '--f' is ambiguous: '--from' or '--format'"
expect_status 2 "$OKRA" -C "$ws" status extra
expect_out "okra status: unexpected argument 'extra'"
expect_status 2 "$OKRA" -C "$ws" metrics --asof 2026-01-01 --asof 2026-02-01
expect_out "okra metrics: option '--asof' given twice ('2026-01-01' and '2026-02-01'): it takes one value"
expect_status 2 "$OKRA" -C "$ws" lint -x
expect_out "okra lint: unknown option '-x'"
# An unambiguous abbreviation is the option, options go anywhere among
# the arguments, and "--" ends them (okra init -- --dash makes "--dash").
expect_status 0 "$OKRA" -C "$ws" lint --no-d --form json
expect_out "["
(cd "$TMP" && "$OKRA" init -- --dash >/dev/null 2>&1)
CHECKS=$((CHECKS + 1))
[ -f "$TMP/--dash/okra.yaml" ] || fail "okra init -- --dash did not take --dash as the folder"
# A negative number is an argument, never an option.
expect_status 0 "$OKRA" -C "$ws" checkin nps -12 --date 2026-01-05 --note=before
expect_out "checked in nps = -12 on 2026-01-05"
expect_status 0 "$OKRA" -C "$ws" checkin --date 2026-01-06 nps -3.5
expect_out "checked in nps = -3.5 on 2026-01-06"

# ---- -o FILE and -o - on every command that writes a report ---------------
for args in "lint --no-data" "list metrics" "checkins" "export"; do
	# shellcheck disable=SC2086
	expect_status 0 "$OKRA" -C "$ws" $args -o -
	expect_no_out "okra: wrote"
	# shellcheck disable=SC2086
	"$OKRA" -C "$ws" $args >"$TMP/stdout" 2>/dev/null
	# shellcheck disable=SC2086
	expect_status 0 "$OKRA" -C "$ws" $args -o "$TMP/file.out"
	expect_out "okra: wrote $TMP/file.out"
	CHECKS=$((CHECKS + 1))
	cmp -s "$TMP/stdout" "$TMP/file.out" || fail "okra $args -o FILE wrote something else than stdout"
	rm -f "$TMP/file.out"
done
# A failed command leaves no file, and no half file beside it.
expect_status 2 "$OKRA" -C "$ws" checkins npz -o "$TMP/bad.out"
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/bad.out" ] && [ ! -e "$TMP/bad.out.tmp" ] || fail "a failed -o left a file"
expect_status 2 "$OKRA" -C "$ws" list metrics -o "$TMP/no/such/folder/x"
expect_out "cannot write"

# ---- --color and NO_COLOR -------------------------------------------------
esc=$(printf '\033')
mkdir -p "$TMP/warn"
printf 'workspace: w\nmetrics:\n  - {id: a, type: count, event: x}\nobjectives:\n  - {id: o, title: Improve things, quarter: 2026-Q1, key_results: []}\n' >"$TMP/warn/okra.yaml"
NO_COLOR=1 "$OKRA" -C "$TMP/warn" lint --color=always >"$TMP/color" 2>&1
CHECKS=$((CHECKS + 1))
grep -q "$esc\[" "$TMP/color" || fail "--color=always gave no colour"
NO_COLOR=1 "$OKRA" --color=always -C "$TMP/warn" lint >"$TMP/color" 2>&1
CHECKS=$((CHECKS + 1))
grep -q "$esc\[" "$TMP/color" || fail "okra --color=always COMMAND gave no colour"
"$OKRA" -C "$TMP/warn" lint --color=never >"$TMP/color" 2>&1
CHECKS=$((CHECKS + 1))
! grep -q "$esc\[" "$TMP/color" || fail "--color=never coloured"
# auto: not a terminal here, so no colour
NO_COLOR= "$OKRA" -C "$TMP/warn" lint --color=auto >"$TMP/color" 2>&1
CHECKS=$((CHECKS + 1))
! grep -q "$esc\[" "$TMP/color" || fail "--color=auto coloured a file"
expect_status 2 "$OKRA" -C "$TMP/warn" lint --color=sometimes
expect_out "okra lint: --color takes auto, always or never, not 'sometimes'"

# ---- help from the option tables; the man page from the help -------------
expect_status 0 "$OKRA" metrics --help
expect_out "  --where ATTR=V       only this segment: AND across attributes, any of the"
expect_out "  -o, --output FILE    write FILE whole or not at all; - is standard output"
expect_status 0 "$OKRA" help --man
expect_out ".TH OKRA 1"
for cmd in $("$OKRA" help | sed -n 's/^  okra \([a-z]*\).*/\1/p' | sort -u); do
	CHECKS=$((CHECKS + 1))
	grep -q "^\.SS okra $cmd" "$TMP/out" || fail "the man page has no section for okra $cmd"
done
if command -v groff >/dev/null 2>&1; then
	"$OKRA" help --man >"$TMP/okra.1"
	groff -man -Tutf8 -ww -z "$TMP/okra.1" >"$TMP/groff" 2>&1
	CHECKS=$((CHECKS + 1))
	[ ! -s "$TMP/groff" ] || { fail "groff warns about the man page"; sed 's/^/  | /' "$TMP/groff"; }
fi
expect_status 2 "$OKRA" help metrics --man
expect_out "okra help: --man is the whole manual: no COMMAND"
finish
