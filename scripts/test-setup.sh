#!/usr/bin/env bash
# The set-up `make test` does first (scripts/test.sh sources this file):
#  1. the Debian packages the suites use: installed with apt-get when running as root; otherwise
#     it stops at once, naming the missing packages and the command that installs them;
#  2. MariaDB and Redis: started when installed but down (as root);
#  3. a throw-away MariaDB database (and, where root has no TCP login, a user of its own), dropped
#     when the calling shell exits; TESSERA_TEST_MYSQL_DSN and TESSERA_TEST_REDIS_URL exported.
# Both variables are left alone when already set. Run directly, it does the set-up, prints what
# it would export, and cleans up again: a dry run of the preparation.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/testenv.sh
export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/usr/local/go/bin"

say() { echo "test-setup: $*"; }
die() { echo "test-setup: $*" >&2; exit 1; }
# down WHAT HOW: a service the suites use is not there. Its tests skip, or fail in strict mode,
# and strict mode stops here already, before minutes of other suites.
down() {
  if strict; then die "$1; strict mode (CI or TESSERA_TEST_STRICT=1) needs it. $2"; fi
  say "WARNING: $1; its tests are skipped. $2"
}

# chromium: the browser tests; libwbxml2-utils, oathtool, zbar-tools, poppler-utils, nginx with its
# mail module, swaks (with libnet-ssleay-perl for its TLS): independent programs that check our
# output; isync, fetchmail, curl, vdirsyncer, python3-caldav: mail, HTTP, CalDAV and CardDAV
# clients for the protocol tests; MariaDB and Redis with their clients.
packages=(chromium libwbxml2-utils oathtool zbar-tools poppler-utils nginx libnginx-mod-mail swaks libnet-ssleay-perl
  isync fetchmail curl mariadb-server mariadb-client redis-server redis-tools vdirsyncer python3-caldav)

command -v go >/dev/null || die "Go is not installed (Go >= 1.26 from https://go.dev/dl, in /usr/local/go/bin or on PATH)"
command -v npm >/dev/null || die "Node 20 with npm is not installed"

if command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if ((EUID != 0)); then
      die "missing Debian packages: ${missing[*]}
  install them as root:  apt-get install -y --no-install-recommends ${missing[*]}
  (make test run as root installs them itself)"
    fi
    say "installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  say "WARNING: not a Debian machine (no dpkg-query); install these or their equivalents yourself: ${packages[*]}"
fi

mysql_alive() { mysqladmin --connect-timeout=2 --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1; }
redis_alive() { [[ $(redis-cli -h 127.0.0.1 ping 2>/dev/null) == PONG ]]; }

if [[ -z ${TESSERA_TEST_MYSQL_DSN:-} ]] && command -v mysqladmin >/dev/null; then
  if ! mysql_alive && [[ -x /usr/sbin/mariadbd ]] && ((EUID == 0)); then
    say "starting MariaDB"
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    for _ in $(seq 1 60); do mysql_alive && break; sleep 1; done
  fi
  if ! mysql_alive; then
    down "MariaDB is not answering on 127.0.0.1:3306" "As root: start-stop-daemon --start --background --exec /usr/sbin/mariadbd -- --user=mysql"
  else
    test_db="tessera_test_$$"
    test_user="" # set when the run has a user of its own
    if mysql -uroot -h127.0.0.1 --protocol=tcp -e 'SELECT 1' >/dev/null 2>&1; then
      admin=(mysql -uroot -h127.0.0.1 --protocol=tcp)
      dsn_login="root"
    elif ((EUID == 0)) && mysql -uroot --protocol=socket -e 'SELECT 1' >/dev/null 2>&1; then
      # Debian's root logs in by unix socket only, and the Go driver speaks TCP: a user of this
      # run, allowed only the tessera_* databases the suites create.
      admin=(mysql -uroot --protocol=socket)
      test_user="tessera_test_$$"
      test_pw="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      "${admin[@]}" -e "CREATE USER '$test_user'@'localhost' IDENTIFIED BY '$test_pw';
        CREATE USER '$test_user'@'127.0.0.1' IDENTIFIED BY '$test_pw';
        GRANT ALL ON \`tessera\\_%\`.* TO '$test_user'@'localhost';
        GRANT ALL ON \`tessera\\_%\`.* TO '$test_user'@'127.0.0.1';"
      dsn_login="$test_user:$test_pw"
    else
      admin=()
      down "MariaDB answers but neither root over TCP nor (as root) over its socket can log in" "Set TESSERA_TEST_MYSQL_DSN to a user that may create databases."
    fi
    if ((${#admin[@]})); then
      "${admin[@]}" -e "CREATE DATABASE $test_db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
      cleanup_mysql() {
        "${admin[@]}" -e "DROP DATABASE IF EXISTS $test_db" || true
        if [[ -n $test_user ]]; then
          "${admin[@]}" -e "DROP USER IF EXISTS '$test_user'@'localhost', '$test_user'@'127.0.0.1'" || true
        fi
      }
      trap cleanup_mysql EXIT
      export TESSERA_TEST_MYSQL_DSN="$dsn_login@tcp(127.0.0.1:3306)/$test_db"
    fi
  fi
elif [[ -z ${TESSERA_TEST_MYSQL_DSN:-} ]]; then
  down "MariaDB is not installed" "apt-get install mariadb-server mariadb-client"
fi

if [[ -z ${TESSERA_TEST_REDIS_URL:-} ]]; then
  if ! redis_alive && command -v redis-server >/dev/null && ((EUID == 0)); then
    say "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/tessera-test.log
    for _ in $(seq 1 30); do redis_alive && break; sleep 1; done
  fi
  if redis_alive; then
    # Database 15 (14 for the two-instance test), away from real data.
    export TESSERA_TEST_REDIS_URL="redis://127.0.0.1:6379/15"
  else
    down "Redis is not answering on 127.0.0.1:6379" "As root: redis-server --daemonize yes --bind 127.0.0.1 --port 6379"
  fi
fi

# Never the DSN itself: it may hold the run user's password.
mysql_said="none"
[[ -n ${TESSERA_TEST_MYSQL_DSN:-} ]] && mysql_said="database ${TESSERA_TEST_MYSQL_DSN##*/}"
say "$(go version | cut -d' ' -f3), node $(node --version), MariaDB: $mysql_said, Redis: ${TESSERA_TEST_REDIS_URL:-none}, strict: $(strict && echo yes || echo no)"
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  say "ready (run directly: nothing else runs, and the database is dropped again)"
fi
