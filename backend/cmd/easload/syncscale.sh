#!/usr/bin/env bash
# The Sync-scale figures of docs/performance.md (issue 17, goal 1): BenchmarkEASSyncScale of
# package eas on Inboxes of SYNC_SIZES synced messages, on SQLite and (with MYSQL_DSN) MariaDB,
# for this tree and, when SYNC_BASE names a commit, for that commit too — both in one run,
# alternating, so that the machine's noise falls on both alike. It prints a markdown table of
# medians and the ratios the issue asks for (largest size against the smallest; the initial sync
# rate of the largest against 10,000 when it was measured).
#
# Environment:
#   SYNC_SIZES      1000,10000,100000     SYNC_COUNT  rounds (3)     SYNC_BENCHTIME  per figure (1s)
#   SYNC_BASE       commit to compare with (e.g. 5be9d8f); empty: this tree only
#   MYSQL_DSN       root@tcp(127.0.0.1:3306)/ ; "none": SQLite only
#   SYNC_OUT        also keep the raw benchmark lines there
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
SYNC_SIZES=${SYNC_SIZES:-1000,10000,100000}
SYNC_COUNT=${SYNC_COUNT:-3}
SYNC_BENCHTIME=${SYNC_BENCHTIME:-1s}
SYNC_BASE=${SYNC_BASE:-}
MYSQL_DSN=${MYSQL_DSN:-root@tcp(127.0.0.1:3306)/}
work=$(mktemp -d /tmp/tessera-syncscale.XXXXXX)
trap 'rm -rf "$work"' EXIT
bench=backend/internal/eas/syncscale_bench_test.go
scale=backend/internal/app/apptest/scale.go

echo "building the benchmark of this tree ($(git rev-parse --short HEAD))" >&2
go test -c -o "$work/after.test" ./backend/internal/eas/
labels=(after)
if [[ -n $SYNC_BASE ]]; then
	echo "building the benchmark at $SYNC_BASE" >&2
	mkdir "$work/base"
	git archive "$SYNC_BASE" | tar -x -C "$work/base"
	cp "$bench" "$work/base/$bench"
	cp "$scale" "$work/base/$scale" # the benchmark's fill and sizes (apptest), same for both
	(cd "$work/base" && go test -c -o "$work/before.test" ./backend/internal/eas/)
	labels=(before after)
fi
export TESSERA_BENCH_SYNC_SIZES=$SYNC_SIZES
if [[ $MYSQL_DSN != none ]]; then export TESSERA_TEST_MYSQL_DSN=$MYSQL_DSN; else unset TESSERA_TEST_MYSQL_DSN; fi
for round in $(seq "$SYNC_COUNT"); do
	for label in "${labels[@]}"; do
		dir=$root/backend/internal/eas
		[[ $label == before ]] && dir=$work/base/backend/internal/eas
		echo "round $round: $label" >&2
		# A failed figure is reported in the raw lines and left out of the table; the others count.
		(cd "$dir" && "$work/$label.test" -test.run '^$' -test.bench BenchmarkEASSyncScale -test.benchtime "$SYNC_BENCHTIME" || true) |
			grep --line-buffered -e '^BenchmarkEASSyncScale/' -e 'FAIL' -e '_test.go' | sed -u "s/^/$label /" | tee -a "$work/raw.txt" >&2 || true
	done
done
[[ -n ${SYNC_OUT:-} ]] && cp "$work/raw.txt" "$SYNC_OUT"
python3 - "$work/raw.txt" "$SYNC_BASE" <<'PY'
import re, statistics, sys
from collections import defaultdict
raw, base = sys.argv[1], sys.argv[2]
vals = defaultdict(list)  # (label, engine, op, n, unit) -> values
for line in open(raw):
    m = re.match(r'(\w+) BenchmarkEASSyncScale/(\w+)/n=(\d+)/(\w+)-\d+\s+\d+\s+(.*)', line)
    if not m:
        continue
    label, engine, n, op, rest = m.groups()
    f = rest.split()
    for v, unit in zip(f[0::2], f[1::2]):
        vals[(label, engine, op, int(n), unit)].append(float(v))
med = {k: statistics.median(v) for k, v in vals.items()}
labels = [l for l in ("before", "after") if any(k[0] == l for k in med)]
engines = sorted({k[1] for k in med}, key=lambda e: (e != "sqlite", e))
sizes = sorted({k[3] for k in med})
ops = [("nochange", "no-change Sync", "ns/op"), ("onenew", "one-new Sync", "ns/op"), ("estimate", "GetItemEstimate", "ns/op"),
       ("pingwake", "Ping wake (first look)", "ns/op"), ("initial", "initial sync", "msgs/s"), ("onenew", "SyncState after an answer", "state-B")]
def fmt(v, unit):
    if v is None: return "—"
    if unit == "ns/op": return "%.2f ms" % (v / 1e6)
    if unit == "msgs/s": return "{:,.0f}/s".format(v)
    return "{:,.0f} B".format(v)
for engine in engines:
    print(f"\n{engine}: medians of {len(next(iter(vals.values())))} rounds\n")
    head = "| measured | " + " | ".join(f"{l} n={n:,}" for l in labels for n in sizes)
    ratio_cols = [l for l in labels] if len(sizes) > 1 else []
    head += "".join(f" | {l}: ratio" for l in ratio_cols) + " |"
    print(head)
    print("|" + "---|" * (1 + len(labels) * len(sizes) + len(ratio_cols)))
    for op, name, unit in ops:
        row = [name]
        for l in labels:
            for n in sizes:
                row.append(fmt(med.get((l, engine, op, n, unit)), unit))
        for l in ratio_cols:
            if unit == "msgs/s":
                a, b = med.get((l, engine, op, 10000, unit)), med.get((l, engine, op, sizes[-1], unit))
                row.append("—" if not a or not b or sizes[-1] == 10000 else "%.0f%% of 10,000's rate" % (100 * b / a))
            else:
                a, b = med.get((l, engine, op, sizes[0], unit)), med.get((l, engine, op, sizes[-1], unit))
                row.append("—" if not a or not b else "%.2f×" % (b / a))
        print("| " + " | ".join(row) + " |")
PY
