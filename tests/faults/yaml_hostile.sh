#!/bin/sh
# Hostile workspace files: each is refused with a clear error at its
# position, in linear time and bounded memory.  Shapes that used to take
# minutes or gigabytes: 125,000 keys in one mapping (49 s), 4 MB of '['
# (1.4 GB), a formula of 250,000 terms (a stack overflow in the checker).
. "$SRCDIR/tests/e2e/lib.inc"

ws="$TMP/ws"
mkdir -p "$ws"
printf 'workspace: hostile\n' >"$ws/okra.yaml"
# Memory is bounded where the sanitizers do not need their own reserve.
limit=""
[ -z "${ASAN_OPTIONS:-}" ] && limit="ulimit -v 1000000;"

# lint_fails FILE MESSAGE: okra lint on a workspace holding FILE exits 2
# within 20 s (in 1 GB of address space), saying MESSAGE.
lint_fails() {
	expect_status 2 timeout 20 sh -c "$limit exec \"\$0\" -C \"\$1\" lint" "$OKRA" "$ws"
	expect_out "$2"
}

# print N TEXT: TEXT N times, without a newline.
print() { awk -v n="$1" -v t="$2" 'BEGIN { s = t; while (length(s) < n * length(t)) s = s s; printf "%s", substr(s, 1, n * length(t)) }'; }

{ printf 'teams: '; print 1000000 '['; } >"$ws/deep.yaml"
lint_fails deep.yaml "deep.yaml:1:72: error: nesting deeper than 64 levels"
{ printf 'teams: '; print 1000000 '{a: '; } >"$ws/deep.yaml"
lint_fails deep.yaml "deep.yaml:1:264: error: nesting deeper than 64 levels"
rm "$ws/deep.yaml"

awk 'BEGIN { print "metrics:"; print "  - id: m"; print "    type: count"; for (i = 0; i < 125000; i++) printf "    k%d: 1\n", i }' >"$ws/keys.yaml"
lint_fails keys.yaml "keys.yaml:10002:5: error: more than 10000 keys in one mapping (the mapping starts at line 2)"
rm "$ws/keys.yaml"

awk 'BEGIN { print "teams:"; for (i = 0; i < 600000; i++) print "  - a" }' >"$ws/nodes.yaml"
lint_fails nodes.yaml "error: more than 500000 YAML nodes in one file"
rm "$ws/nodes.yaml"

{ printf 'workspace: big\n# '; print 17000000 'x'; echo; } >"$ws/big.yaml"
lint_fails big.yaml "big.yaml: error: file is larger than 16 MiB"
rm "$ws/big.yaml"

printf 'teams:\n  - {id: core, type: core}\n\000\nmetrics: [\n' >"$ws/nul.yaml"
lint_fails nul.yaml "nul.yaml:3:1: error: a NUL byte; workspace files are text"
rm "$ws/nul.yaml"

{ printf 'metrics:\n  - {id: a, type: count}\n  - id: big\n    type: formula\n    expr: a'; print 250000 ' + a'; echo; } >"$ws/formula.yaml"
lint_fails formula.yaml "error: invalid formula: more than 256 terms in one formula"
rm "$ws/formula.yaml"

mkfifo "$ws/fifo.yaml"
lint_fails fifo.yaml "fifo.yaml: error: is a FIFO; only regular files are read"
rm "$ws/fifo.yaml"

# What is left loads.
expect_status 0 "$OKRA" -C "$ws" lint
finish
