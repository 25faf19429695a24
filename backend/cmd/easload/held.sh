#!/usr/bin/env bash
# Memory of held Pings (issue 17, goal 2): one server holds PROCS × PINGS Pings from PROCS easload
# processes (one process's open-file limit here is 20,000), then the last process times DELIVERIES
# wakes with all of them held. Prints RSS, the Go heap and stacks, goroutines per held Ping, and
# keeps the heap and goroutine profiles. Run from anywhere:
#   BIN=path/to/tessera PINGS=10000 PROCS=1 backend/cmd/easload/held.sh
# DATA: a data directory seeded by an earlier run (reused: seeding 20,000 accounts takes minutes);
# OUT: where the profiles and the summary go. MODE=idle holds IMAP IDLE sessions instead (PROCS
# processes of PINGS sessions each), read SETTLE seconds into the last one's quiet window of 2×SETTLE.
# DELIVER=lmtp times deliveries over LMTP (one kept connection, as the MTA delivers) instead of
# through the admin API (a web session: its account, revocation and settings are read first).
set -euo pipefail
cd "$(dirname "$0")/../../.."
BIN=${BIN:?the tessera binary to measure}
EASLOAD=${EASLOAD:-bin/easload}
PINGS=${PINGS:-10000}
PROCS=${PROCS:-1}
DELIVERIES=${DELIVERIES:-300}
SETUP=${SETUP:-64}   # phones doing their FolderSync and Sync 0 at once
SETTLE=${SETTLE:-30} # seconds between the last Ping held and the memory read (the set-up's garbage)
DATA=${DATA:-$(mktemp -d /tmp/tessera-held.XXXXXX)}
OUT=${OUT:-$DATA/out}
PORT=${PORT:-18121}
MODE=${MODE:-pings}
DELIVER=${DELIVER:-api}
METRICS=127.0.0.1:$((PORT + 1))
total=$((PINGS * PROCS))
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
export TESSERA_DATA_DIR=$DATA TESSERA_LISTEN=127.0.0.1:$PORT TESSERA_LOG_LEVEL=warn
export TESSERA_METRICS_LISTEN=$METRICS TESSERA_PROFILING=true
export TESSERA_IMAP_LISTEN=127.0.0.1:$((PORT + 2)) TESSERA_MAIL_PLAINTEXT_LOOPBACK=true TESSERA_IMAP_MAX_IDLE=$((total + 100))
export TESSERA_SECRET_KEY=${TESSERA_SECRET_KEY:-held-run-secret-key-0123456789abcdef0123}
export TESSERA_LMTP_LISTEN=127.0.0.1:$((PORT + 3))
export TESSERA_BOOTSTRAP_ADMIN_PASSWORD='Harbor-Lantern-Pass-84' TESSERA_EAS_MAX_PINGS=$((total + 100))
if [[ ! -f $DATA/seeded-$total ]]; then
	"$EASLOAD" seed --accounts "$total" --messages 10
	touch "$DATA/seeded-$total"
fi
pids=()
"$BIN" serve >>"$OUT/serve.log" 2>&1 &
server=$!
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; kill $server 2>/dev/null || true; wait' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
"$BIN" config set adminRequireTwoFactor false >/dev/null
via=()
[[ $DELIVER != lmtp ]] || via=(--lmtp "$TESSERA_LMTP_LISTEN")
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
rss0=$(rss)
echo "server idle: $rss0 kB"
for k in $(seq 0 $((PROCS - 1))); do
	[[ $MODE == idle ]] || break
	# The last process reads the quiet window and times the deliveries; the others only hold.
	args=(--deliveries 0 --hold 1h)
	((k < PROCS - 1)) || args=(--deliveries "$DELIVERIES" --quiet "$((2 * SETTLE))s" "${via[@]}")
	"$EASLOAD" idle --url "http://127.0.0.1:$PORT" --imap "127.0.0.1:$((PORT + 2))" --first $((k * PINGS)) --accounts "$PINGS" \
		--setup "$SETUP" "${args[@]}" --server-pid "$server" >"$OUT/idle-$k.log" 2>&1 &
	pids+=($!)
	until grep -q 'IDLE sessions held:' "$OUT/idle-$k.log"; do
		kill -0 "${pids[-1]}" || { cat "$OUT/idle-$k.log"; exit 1; }
		sleep 1
	done
done
for k in $(seq 0 $((PROCS - 1))); do
	[[ $MODE == pings ]] || break
	args=(--deliveries 0)
	((k < PROCS - 1)) || args=(--deliveries "$DELIVERIES" "${via[@]}")
	"$EASLOAD" pings --url "http://127.0.0.1:$PORT" --first $((k * PINGS)) --accounts "$PINGS" "${args[@]}" --setup "$SETUP" \
		--server-pid "$server" --hold 1h >"$OUT/pings-$k.log" 2>&1 &
	pids+=($!)
	until grep -q '^holding' "$OUT/pings-$k.log"; do
		kill -0 "${pids[-1]}" || { cat "$OUT/pings-$k.log"; exit 1; }
		sleep 1
	done
done
sleep "$SETTLE"
rss1=$(rss)
curl -s "http://$METRICS/debug/pprof/heap?gc=1" >"$OUT/heap.pb.gz"
curl -s "http://$METRICS/debug/pprof/heap?debug=1" >"$OUT/heap.txt"
grep -E '^# (HeapInuse|HeapAlloc|StackInuse|Sys|HeapSys|MSpanInuse|NumGC) ' "$OUT/heap.txt" >"$OUT/memstats.txt" || true
curl -s "http://$METRICS/debug/pprof/goroutine" >"$OUT/goroutine.pb.gz"
curl -s "http://$METRICS/debug/pprof/goroutine?debug=1" >"$OUT/goroutine.txt"
goroutines=$(awk 'NR == 1 {print $NF}' "$OUT/goroutine.txt")
curl -s "http://$METRICS/metrics" >"$OUT/metrics.txt"
heldnow=$(awk '/^tessera_eas_pings_held /{print $2}' "$OUT/metrics.txt")
# easload idle times its deliveries after the quiet window; waited for here, not in the pipeline
# below (a subshell, whose wait does not know the process).
[[ $MODE != idle ]] || wait "${pids[-1]}" || true
{
	echo "$MODE held: $total ($PROCS × $PINGS; server gauge ${heldnow:-?} Pings, $(awk '/^tessera_imap_idle_held /{print $2}' "$OUT/metrics.txt") IDLE)"
	echo "RSS idle $((rss0 / 1024)) MB, with all held $((rss1 / 1024)) MB: $(((rss1 - rss0) * 1024 / total)) bytes per held connection"
	echo "goroutines: $goroutines ($(awk -v g="$goroutines" -v n="$total" 'BEGIN{printf "%.2f", g/n}') per held connection)"
	awk -v n="$total" '{printf "%s %s (%.0f bytes per held connection)\n", $2, $4, $4/n}' "$OUT/memstats.txt"
	grep -E '^# Stack ' "$OUT/heap.txt" | awk -v n="$total" '{printf "Stack %s (%.0f bytes per held connection)\n", $4, $4/n}'
	if [[ $MODE == idle ]]; then
		grep -E 'wake latency|IDLE sessions held' "$OUT/idle-$((PROCS - 1)).log" || true
	else
		grep -E 'wake latency|with .* Pings held' "$OUT/pings-$((PROCS - 1)).log" || true
	fi
} | tee "$OUT/summary.txt"
go tool pprof -top -sample_index=inuse_space "$OUT/heap.pb.gz" 2>/dev/null | head -40 >"$OUT/heap-top.txt" || true
go tool pprof -traces "$OUT/goroutine.pb.gz" 2>/dev/null >"$OUT/goroutine-traces.txt" || true
