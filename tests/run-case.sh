#!/bin/sh
# Run one data-driven case: copy the workspace to a scratch folder (so no
# state is written into the source tree), run okra with the case's `cmd`,
# and compare stdout+stderr with `expected` and the exit status with `status`.
set -u
okra=$1 case=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cp -R "$case"/. "$tmp"/
rm -f "$tmp/cmd" "$tmp/expected" "$tmp/status" "$tmp/README.md"
want_status=0
[ -f "$case/status" ] && want_status=$(cat "$case/status")
# cmd: one okra command line per line (default "lint"); the status is the
# last command's, the output all of theirs.
[ -f "$case/cmd" ] && cp "$case/cmd" "$tmp/.cmd" || echo lint >"$tmp/.cmd"
status=0
: >"$tmp/.out"
while IFS= read -r args || [ -n "$args" ]; do
	[ -z "$args" ] && continue
	# shellcheck disable=SC2086
	(cd "$tmp" && NO_COLOR=1 OKRA_AUTHOR=okra-test "$okra" $args) >>"$tmp/.out" 2>&1
	status=$?
done <"$tmp/.cmd"
fail=0
if ! diff -u "$case/expected" "$tmp/.out"; then
	echo "FAIL: output differs (- expected, + actual)"
	fail=1
fi
if [ "$status" != "$want_status" ]; then
	echo "FAIL: exit status $status, expected $want_status"
	fail=1
fi
[ $fail = 0 ] && echo "ok: $(basename "$case")"
exit $fail
