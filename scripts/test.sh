#!/usr/bin/env bash
# make test: prepares the machine (scripts/test-setup.sh: packages, MariaDB, Redis, a throw-away
# database), runs every suite with TESSERA_TEST_MYSQL_DSN and TESSERA_TEST_REDIS_URL set, and
# drops the database at the end, whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-setup.sh
make --no-print-directory test-suites
