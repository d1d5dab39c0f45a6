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

# crashers counts the failing inputs go test has saved for a target.
crashers() {
	local dir="$1/testdata/fuzz/$2"
	if [ -d "$dir" ]; then find "$dir" -type f | wc -l; else echo 0; fi
}

# fuzz_one runs one target. Go's fuzz coordinator before Go 1.27 can fail a
# duration-bounded run with "context deadline exceeded" at the very end,
# when a worker is still busy as the time runs out, without any failing
# input. Such a run is retried once; a run that saves a failing input, or
# fails any other way, fails at once.
fuzz_one() {
	local pkg="$1" name="$2" attempt out before
	for attempt in 1 2; do
		before=$(crashers "$pkg" "$name")
		if out=$(go test -run='^$' -fuzz="^${name}\$" -fuzztime="${duration}" "${pkg}" 2>&1); then
			echo "$out"
			return 0
		fi
		echo "$out"
		if [ "$(crashers "$pkg" "$name")" != "$before" ] || ! grep -q 'context deadline exceeded' <<<"$out"; then
			return 1
		fi
		echo "fuzz: ${name} stopped on the fuzzing engine's deadline race with no failing input (attempt ${attempt})"
	done
	return 1
}

total=0
failed=()
for f in "${files[@]}"; do
	pkg="./$(dirname "${f#./}")"
	while read -r name; do
		total=$((total + 1))
		echo "=== fuzz ${pkg} ${name} (${duration})"
		if ! fuzz_one "$pkg" "$name"; then
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
