#!/usr/bin/env bash
# Runs every fuzz target in the repository, one at a time, for DURATION each
# (default 5s; any -fuzztime value such as 30s, 2m or 1000x). go test -fuzz
# accepts a single target per invocation, so each func FuzzXxx gets its own.
# Exits non-zero if any target fails; the failing inputs are left under the
# package's testdata/fuzz/ for go test to replay.
#
#   scripts/fuzz.sh          # 5s per target
#   scripts/fuzz.sh 1m       # longer, e.g. nightly
set -euo pipefail

duration="${1:-5s}"
cd "$(dirname "$0")/.."

mapfile -t files < <(grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . | sort)
if [ "${#files[@]}" -eq 0 ]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 1
fi

total=0
failed=()
for f in "${files[@]}"; do
	pkg="./$(dirname "${f#./}")"
	while read -r name; do
		total=$((total + 1))
		echo "=== fuzz ${pkg} ${name} (${duration})"
		if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="${duration}" "${pkg}"; then
			failed+=("${pkg} ${name}")
		fi
	done < <(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$f")
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo "fuzz: ${#failed[@]} of ${total} targets failed:" >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "fuzz: all ${total} targets passed (${duration} each)"
