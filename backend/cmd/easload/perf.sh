#!/usr/bin/env bash
# The performance matrix of docs/performance.md, unattended: SQLite with one instance, MariaDB
# with one, MariaDB with two behind one Redis. Each configuration gets a fresh database, seeded
# accounts and its own servers on loopback; the figures go to a markdown file with the machine's
# description. Run from anywhere: backend/cmd/easload/perf.sh (or make perf).
#
# Environment (defaults are the full run; see docs/performance.md for a smoke run):
#   CONFIGS        which configurations, in order: "sqlite mysql mysql2"
#   PINGS          held Pings per instance (10000); MESSAGES in the big Inbox (10000);
#   PINGS_TWO      held Pings in the two-instance run, split over both (PINGS: one easload
#                  holds them all, and its open-file limit, 20,000 here, caps the sockets)
#   DELIVERIES     deliveries timed for the wake latency (300); DELIVER how they arrive: lmtp
#                  (each server's LMTP door on its HTTP port + 20, as from the MTA) or api
#   SYNC_ACCOUNTS  devices in the Sync measurement (200), SYNC_MESSAGES in each Inbox (100)
#   API_ACCOUNTS   web sessions of api-rps and accounts of logins (200)
#   DURATION       of each rate measurement (30s); CONCURRENCY (32), LOGIN_CONCURRENCY (4)
#   PARTS          "eas imap sync search": the EAS/API measurements, then the IMAP door's on
#                  restarted servers, then the Sync-scale benchmark (syncscale.sh: SYNC_SIZES,
#                  default 1000,10000,100000; SYNC_COUNT rounds; SYNC_BASE a commit to compare
#                  with), then (one-instance configurations, servers stopped) free-text search
#   SEARCH_MESSAGES  messages of search@load.test for the search latencies (100000)
#   IDLES          held IMAP IDLE sessions per instance (PINGS); IDLES_TWO in the two-instance run
#                  (IDLES, split over both); IMAP_DURATION of fetch-flags and append (DURATION);
#                  IDLE_QUIET: the servers' CPU is read that long with all held (65s; 0: not)
#   MYSQL_DSN      server to create tessera_perf on (root@tcp(127.0.0.1:3306)/)
#   REDIS          redis://127.0.0.1:6379/13 (the script flushes this database only)
#   OUT            the report (docs/performance-run.md)
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
CONFIGS=${CONFIGS:-"sqlite mysql mysql2"}
PINGS=${PINGS:-10000}
PINGS_TWO=${PINGS_TWO:-$PINGS}
MESSAGES=${MESSAGES:-10000}
DELIVERIES=${DELIVERIES:-300}
DELIVER=${DELIVER:-lmtp}
SYNC_ACCOUNTS=${SYNC_ACCOUNTS:-200}
SYNC_MESSAGES=${SYNC_MESSAGES:-100}
API_ACCOUNTS=${API_ACCOUNTS:-200}
DURATION=${DURATION:-30s}
CONCURRENCY=${CONCURRENCY:-32}
LOGIN_CONCURRENCY=${LOGIN_CONCURRENCY:-4}
PARTS=${PARTS:-"eas imap sync search"}
SYNC_SIZES=${SYNC_SIZES:-1000,10000,100000}
SEARCH_MESSAGES=${SEARCH_MESSAGES:-100000}
IDLES=${IDLES:-$PINGS}
IDLES_TWO=${IDLES_TWO:-$IDLES}
IMAP_DURATION=${IMAP_DURATION:-$DURATION}
IDLE_QUIET=${IDLE_QUIET:-65s}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
MYSQL_DB=tessera_perf
REDIS=${REDIS:-redis://127.0.0.1:6379/13}
OUT=${OUT:-$root/docs/performance-run.md}
PORT_A=18101
PORT_B=18102
IMAP_OFFSET=10 # each server's IMAP door: its HTTP port + 10 (18111, 18112)
LMTP_OFFSET=20 # and its LMTP door: + 20 (18121, 18122)

work=$(mktemp -d /tmp/tessera-perf.XXXXXX)
records=$work/records.tsv
servers=()
started=$(date +%s)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
# 10,000 Pings are 10,000 sockets in the server and as many in easload.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

mysql_cmd() { mysql -uroot -h"$MYSQL_HOST" -P"$MYSQL_PORT" "$@"; }
redis_db=${REDIS##*/}
redis_cmd() { redis-cli -u "${REDIS%/*}/$redis_db" "$@"; }

stop_servers() {
	for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
	servers=()
}
cleanup() {
	stop_servers
	mysql_cmd -e "DROP DATABASE IF EXISTS $MYSQL_DB" 2>/dev/null || true
	redis_cmd FLUSHDB >/dev/null 2>&1 || true
	rm -rf "$work/data"* "$work/tessera" "$work/easload"
}
trap cleanup EXIT

echo "building tessera and easload into $work"
go build -o "$work/tessera" ./backend/cmd/tessera
go build -o "$work/easload" ./backend/cmd/easload

# start_server PORT: starts `tessera serve` with the current environment, waits for /readyz.
# Its IMAP door listens on PORT+IMAP_OFFSET, plaintext logins allowed on loopback.
start_server() {
	TESSERA_LISTEN=127.0.0.1:$1 TESSERA_IMAP_LISTEN=127.0.0.1:$(($1 + IMAP_OFFSET)) TESSERA_MAIL_PLAINTEXT_LOOPBACK=true \
		TESSERA_LMTP_LISTEN=127.0.0.1:$(($1 + LMTP_OFFSET)) \
		"$work/tessera" serve >>"$work/serve-$1.log" 2>&1 &
	servers+=($!)
	for _ in $(seq 150); do
		curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0
		sleep 0.2
	done
	echo "server on port $1 did not become ready; log:" >&2
	tail -20 "$work/serve-$1.log" >&2
	return 1
}

# run_config NAME LABEL INSTANCES: one row of columns in the report.
run_config() {
	local name=$1 label=$2 n=$3
	echo
	echo "=== $label ($(date +%T)) ==="
	local data=$work/data-$name
	mkdir -p "$data"
	export TESSERA_DATA_DIR=$data TESSERA_LOG_LEVEL=warn
	export TESSERA_SECRET_KEY=perf-run-shared-secret-key-0123456789abcdef
	export TESSERA_BOOTSTRAP_ADMIN_PASSWORD='Harbor-Lantern-Pass-84'
	export TESSERA_EAS_MAX_PINGS=$((PINGS + 100)) TESSERA_IMAP_MAX_IDLE=$((IDLES + 100))
	unset TESSERA_DB_DRIVER TESSERA_DB_DSN TESSERA_REDIS_URL
	if [[ $name != sqlite ]]; then
		mysql_cmd -e "DROP DATABASE IF EXISTS $MYSQL_DB; CREATE DATABASE $MYSQL_DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
		export TESSERA_DB_DRIVER=mysql TESSERA_DB_DSN="root@tcp($MYSQL_HOST:$MYSQL_PORT)/$MYSQL_DB"
	fi
	if ((n > 1)); then
		redis_cmd FLUSHDB >/dev/null
		export TESSERA_REDIS_URL=$REDIS
	fi
	local accounts=$PINGS idles=$IDLES
	((n == 1)) || accounts=$PINGS_TWO idles=$IDLES_TWO
	[[ $PARTS == *eas* ]] || accounts=0
	[[ $PARTS == *imap* ]] || idles=0
	((accounts >= idles)) || accounts=$idles
	if ((accounts + 200 > $(ulimit -n))); then
		echo "warning: $accounts Pings need more open files than ulimit -n ($(ulimit -n)) allows" >&2
	fi
	local min_accounts=$((1 + (SYNC_ACCOUNTS > API_ACCOUNTS ? SYNC_ACCOUNTS : API_ACCOUNTS)))
	((accounts >= min_accounts)) || accounts=$min_accounts
	"$work/easload" seed --accounts "$accounts" --messages "$MESSAGES" --sync-accounts "$SYNC_ACCOUNTS" --sync-messages "$SYNC_MESSAGES"
	local urls="http://127.0.0.1:$PORT_A" imaps="127.0.0.1:$((PORT_A + IMAP_OFFSET))"
	((n == 1)) || urls="$urls,http://127.0.0.1:$PORT_B" imaps="$imaps,127.0.0.1:$((PORT_B + IMAP_OFFSET))"
	start_servers "$n"
	if [[ $PARTS == *eas* ]]; then
		measure_eas "$label" "$n" "$accounts" "$urls"
	fi
	if [[ $PARTS == *imap* ]]; then
		# On restarted servers: the sessions' memory is measured against a fresh process.
		stop_servers
		start_servers "$n"
		measure_imap "$label" "$n" "$idles" "$urls" "$imaps"
	fi
	stop_servers
	if [[ $PARTS == *search* ]] && ((n == 1)); then
		# In-process, on this configuration's database: without the search index, then with it.
		"$work/easload" search --messages "$SEARCH_MESSAGES" --record "$records" --label "$label"
	fi
	[[ $name == sqlite ]] || mysql_cmd -e "DROP DATABASE IF EXISTS $MYSQL_DB"
	rm -rf "$data"
}

# via N: easload's --lmtp with the instances' LMTP doors when DELIVER=lmtp (nothing for api).
via() {
	[[ $DELIVER == lmtp ]] || return 0
	local a=127.0.0.1:$((PORT_A + LMTP_OFFSET))
	(($1 == 1)) || a="$a,127.0.0.1:$((PORT_B + LMTP_OFFSET))"
	echo "--lmtp $a"
}

# start_servers N: one or two instances (the second only once the first has created the admin).
start_servers() {
	start_server $PORT_A
	if (($1 > 1)); then start_server $PORT_B; fi
}

# measure_imap LABEL N SESSIONS URLS IMAPS: held IDLE sessions (memory, wake latency), then the
# flags of user0's big Inbox and APPEND, each over one connection to the first instance.
measure_imap() {
	local label=$1 n=$2 sessions=$3 urls=$4 imaps=$5
	local rec=(--record "$records" --label "$label") pids cross=()
	pids=$(IFS=,; echo "${servers[*]}")
	((n > 1)) && cross=(--cross)
	local db=()
	# MariaDB's CPU over the quiet window too, when it runs on this machine (pgrep only reads).
	[[ -z ${TESSERA_DB_DRIVER:-} ]] || db=(--db-pid "$(pgrep -o -x mariadbd || pgrep -o -x mysqld || echo 0)")
	"$work/tessera" config set adminRequireTwoFactor false >/dev/null
	"$work/easload" idle --url "$urls" --imap "$imaps" --accounts "$sessions" --deliveries "$DELIVERIES" --quiet "$IDLE_QUIET" "${db[@]}" \
		--server-pid "$pids" "${cross[@]}" $(via "$n") "${rec[@]}"
	"$work/easload" fetch-flags --imap "${imaps%%,*}" --duration "$IMAP_DURATION" "${rec[@]}"
	"$work/easload" append --imap "${imaps%%,*}" --duration "$IMAP_DURATION" "${rec[@]}"
}

# measure_eas LABEL N ACCOUNTS URLS: the EAS and API measurements.
measure_eas() {
	local label=$1 n=$2 accounts=$3 urls=$4 pids
	pids=$(IFS=,; echo "${servers[*]}")
	# Deliveries through the admin API (DELIVER=api): this admin has no OTP entry.
	"$work/tessera" config set adminRequireTwoFactor false >/dev/null
	local rec=(--record "$records" --label "$label")
	local idle=()
	for pid in "${servers[@]}"; do idle+=("$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"); done
	printf '%s\tserver RSS idle, after seeding (per instance)\t%s\n' "$label" "$(IFS=,; echo "${idle[*]}" | sed 's/,/, /g')" >>"$records"
	# Pings first: their memory is measured against the idle server, before other loads grow its heap;
	# 64 phones set up at once (all at once, 20,000 of them time out and retry, and the memory read
	# is the retries' garbage).
	local cross=()
	((n > 1)) && cross=(--cross)
	"$work/easload" pings --url "$urls" --accounts "$accounts" --deliveries "$DELIVERIES" --setup 64 --server-pid "$pids" "${cross[@]}" $(via "$n") "${rec[@]}"
	# easload pings has ended: its connections are closed and the servers let go of the Pings.
	"$work/easload" initial-sync --url "${urls%%,*}" "${rec[@]}"
	local rate=(--url "$urls" --duration "$DURATION" "${rec[@]}")
	# A device or session belongs to one worker: no more workers than accounts.
	local sc=$((CONCURRENCY < SYNC_ACCOUNTS ? CONCURRENCY : SYNC_ACCOUNTS))
	local ac=$((CONCURRENCY < API_ACCOUNTS ? CONCURRENCY : API_ACCOUNTS))
	"$work/easload" sync "${rate[@]}" --accounts "$SYNC_ACCOUNTS" --concurrency "$sc"
	"$work/easload" eas-rps "${rate[@]}" --accounts "$API_ACCOUNTS" --concurrency "$ac" --cmd foldersync
	"$work/easload" eas-rps "${rate[@]}" --accounts "$API_ACCOUNTS" --concurrency "$ac" --cmd options
	"$work/easload" api-rps "${rate[@]}" --accounts "$API_ACCOUNTS" --concurrency "$ac"
	"$work/easload" logins "${rate[@]}" --accounts "$API_ACCOUNTS" --concurrency "$LOGIN_CONCURRENCY"
	# The EAS rate again with every credential checked in the database: the servers keep no
	# grants in memory, as for a phone whose last request is older than the TTL.
	stop_servers
	export TESSERA_AUTH_CACHE_TTL=0
	start_servers "$n"
	"$work/easload" eas-rps "${rate[@]}" --accounts "$API_ACCOUNTS" --concurrency "$ac" --cmd foldersync --note "no kept grants (TESSERA_AUTH_CACHE_TTL=0)"
	unset TESSERA_AUTH_CACHE_TTL
}

for c in $CONFIGS; do
	[[ $PARTS == *eas* || $PARTS == *imap* ]] || break
	case $c in
	sqlite) run_config sqlite "SQLite, 1 instance" 1 ;;
	mysql) run_config mysql "MariaDB, 1 instance" 1 ;;
	mysql2) run_config mysql2 "MariaDB + Redis, 2 instances" 2 ;;
	*) echo "unknown configuration $c (sqlite, mysql, mysql2)" >&2; exit 2 ;;
	esac
done

# The Sync-scale figures (issue 17): a Go benchmark on its own databases, SQLite and, when the
# configurations include MariaDB, MariaDB; no servers of this script involved.
syncscale=""
if [[ $PARTS == *sync* ]]; then
	sync_dsn=none
	[[ $CONFIGS == *mysql* ]] && sync_dsn="root@tcp($MYSQL_HOST:$MYSQL_PORT)/"
	syncscale=$(SYNC_SIZES=$SYNC_SIZES MYSQL_DSN=$sync_dsn "$root/backend/cmd/easload/syncscale.sh")
fi

{
	echo "# Tessera performance run, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); server(s) and load generator on the same machine, over loopback."
	echo
	echo "| machine | |"
	echo "|---|---|"
	echo "| CPU | $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo) |"
	echo "| RAM | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
	echo "| OS, kernel | $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r) |"
	echo "| Go | $(go version | awk '{print $3}') |"
	echo "| MariaDB | $(mysql_cmd -N -e 'SELECT VERSION()' 2>/dev/null || echo n/a) |"
	echo "| Redis | $(redis_cmd INFO server 2>/dev/null | tr -d '\r' | awk -F: '/redis_version/ {print $2}') |"
	echo "| load average at the start | $loadavg |"
	echo
	echo "Parameters: PARTS=\"$PARTS\", DELIVER=$DELIVER, SEARCH_MESSAGES=$SEARCH_MESSAGES, PINGS=$PINGS (one instance), PINGS_TWO=$PINGS_TWO (split over two), IDLES=$IDLES, IDLES_TWO=$IDLES_TWO, IDLE_QUIET=$IDLE_QUIET, IMAP_DURATION=$IMAP_DURATION, MESSAGES=$MESSAGES, DELIVERIES=$DELIVERIES, SYNC_ACCOUNTS=$SYNC_ACCOUNTS," \
		"SYNC_MESSAGES=$SYNC_MESSAGES, API_ACCOUNTS=$API_ACCOUNTS, DURATION=$DURATION, CONCURRENCY=$CONCURRENCY," \
		"LOGIN_CONCURRENCY=$LOGIN_CONCURRENCY; the whole run took $((($(date +%s) - started) / 60)) min."
	echo
	[[ -s $records ]] && "$work/easload" report "$records"
	if [[ -n $syncscale ]]; then
		echo
		echo "## Sync scale (BenchmarkEASSyncScale, sizes $SYNC_SIZES${SYNC_BASE:+, against $SYNC_BASE})"
		echo "$syncscale"
	fi
} >"$OUT"
echo
echo "report written to $OUT (records: $records, server logs: $work/serve-*.log)"
