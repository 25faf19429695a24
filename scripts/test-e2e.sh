#!/usr/bin/env bash
# make test-e2e: the browser tests in Debian's Chromium (or CHROMIUM_PATH). Without Chromium they
# are skipped, and say so, except in strict mode, where that is a failure naming the package.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/testenv.sh
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x $chromium ]]; then
  if strict; then
    echo "test-e2e: FAILED: Chromium not found at $chromium (apt-get install chromium, or set CHROMIUM_PATH); strict mode does not skip" >&2
    exit 1
  fi
  echo "test-e2e: SKIPPED: Chromium not found at $chromium (apt-get install chromium, or set CHROMIUM_PATH)"
  exit 0
fi
exec "${NPM:-npm}" run test:e2e
