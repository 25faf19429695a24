#!/usr/bin/env bash
# Runs the EAS load figures of docs/benchmarks.md against a fresh SQLite server on loopback; run from anywhere.
# The whole matrix (MariaDB, two instances, request rates) is perf.sh (docs/performance.md).
# ACCOUNTS, MESSAGES and DELIVERIES can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ACCOUNTS=${ACCOUNTS:-10000}
MESSAGES=${MESSAGES:-10000}
DELIVERIES=${DELIVERIES:-300}
dir=$(mktemp -d /tmp/tessera-load.XXXXXX)
export TESSERA_DATA_DIR=$dir TESSERA_LISTEN=127.0.0.1:18091 TESSERA_LOG_LEVEL=warn
export TESSERA_BOOTSTRAP_ADMIN_PASSWORD='Harbor-Lantern-Pass-84' TESSERA_EAS_MAX_PINGS=$((ACCOUNTS + 100))
./bin/easload seed --accounts "$ACCOUNTS" --messages "$MESSAGES"
./bin/tessera serve >"$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:18091/readyz >/dev/null && break; sleep 0.2; done
# Deliveries go through the admin API, and this admin has no OTP entry.
./bin/tessera config set adminRequireTwoFactor false >/dev/null
echo "server idle: $(grep VmRSS /proc/$server/status)"
./bin/easload initial-sync --url http://127.0.0.1:18091
./bin/easload pings --url http://127.0.0.1:18091 --accounts "$ACCOUNTS" --deliveries "$DELIVERIES" --server-pid "$server"
