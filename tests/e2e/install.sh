#!/bin/sh
# make install: the binary, the man page okra(1) and the shell completions
# land under the prefix (cmake --install, which `make install PREFIX=...`
# runs), and the installed binary works on its own.
. "$(dirname "$0")/lib.inc"

build=$(dirname "$OKRA")
[ -f "$build/cmake_install.cmake" ] || skip "no CMake build tree beside $OKRA"
prefix="$TMP/prefix"
expect_status 0 cmake --install "$build" --prefix "$prefix"
for f in bin/okra share/man/man1/okra.1 \
	share/bash-completion/completions/okra \
	share/zsh/site-functions/_okra \
	share/fish/vendor_completions.d/okra.fish; do
	CHECKS=$((CHECKS + 1))
	[ -s "$prefix/$f" ] || fail "make install did not install $f"
done
CHECKS=$((CHECKS + 1))
[ -x "$prefix/bin/okra" ] || fail "the installed okra is not executable"

# The installed binary, away from the build tree.
expect_status 0 "$prefix/bin/okra" --version
expect_out "okra 0."
(cd "$TMP" && "$prefix/bin/okra" init installed >/dev/null 2>&1)
expect_status 0 "$prefix/bin/okra" -C "$TMP/installed" lint --no-data
expect_out "0 errors, 0 warnings, 0 infos"
# What was installed is what the binary prints.
"$prefix/bin/okra" help --man >"$TMP/okra.1"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/okra.1" "$prefix/share/man/man1/okra.1" || fail "the installed man page is not okra help --man"
"$prefix/bin/okra" completion bash >"$TMP/okra.bash"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/okra.bash" "$prefix/share/bash-completion/completions/okra" ||
	fail "the installed bash completion is not okra completion bash"
if command -v man >/dev/null 2>&1; then
	MANPATH="$prefix/share/man" MANWIDTH=80 man okra >"$TMP/man.txt" 2>&1
	CHECKS=$((CHECKS + 1))
	tr -s " " <"$TMP/man.txt" | grep -q "okra metrics \[ID" || { fail "man okra does not show the installed page"; head -5 "$TMP/man.txt"; }
fi
# DESTDIR stages the same tree under another root (packaging).
expect_status 0 env DESTDIR="$TMP/stage" cmake --install "$build" --prefix /usr
CHECKS=$((CHECKS + 1))
[ -x "$TMP/stage/usr/bin/okra" ] || fail "DESTDIR was not honoured"
finish
