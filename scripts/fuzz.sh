#!/usr/bin/env bash
# Runs one fuzz target for FUZZTIME: scripts/fuzz.sh <FuzzName> <package> [go test flags...]
#
# Go 1.26's fuzzing coordinator can end a run that found nothing with a bare "context deadline
# exceeded" when -fuzztime expires while a worker is starved of CPU (go.dev/issue/75804, fixed
# in Go 1.27): no failing input is written, and the same target passes when run again. So a run
# that fails that way, and wrote no new input under testdata/fuzz/<FuzzName>, is run once more;
# every other failure (a panic, a failed check, a written input) fails at once.
set -uo pipefail
name=$1 pkg=$2
shift 2
corpus="$pkg/testdata/fuzz/$name"
count() { find "$corpus" -type f 2>/dev/null | wc -l; }
for attempt in 1 2; do
	before=$(count)
	out=$("${GO:-go}" test -run '^$' -fuzz "^$name\$" -fuzztime "${FUZZTIME:-5s}" "$@" "$pkg" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	((rc == 0)) && exit 0
	if ((attempt == 1)) && [[ $(count) == "$before" ]] && grep -q '^    context deadline exceeded$' <<<"$out" &&
		! grep -q 'Failing input written' <<<"$out"; then
		echo "fuzz: $name stopped with the coordinator's deadline and no failing input (go.dev/issue/75804); once more"
		continue
	fi
	exit "$rc"
done
