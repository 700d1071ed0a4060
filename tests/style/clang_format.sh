#!/bin/sh
# The C sources follow .clang-format: a file that clang-format would change
# fails this test, with the command that fixes it.
set -u
cd "${SRCDIR:?}" || exit 2
command -v clang-format >/dev/null 2>&1 || { echo "clang-format is not installed"; exit 77; }
bad=0
n=0
for f in $(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 2>/dev/null ||
           find src include tests -name '*.[ch]'); do
	n=$((n + 1))
	clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f"; bad=$((bad + 1)); }
done
echo "$((n - bad)) of $n files formatted"
[ "$bad" = 0 ] || { echo "fix: clang-format -i <file>"; exit 1; }
