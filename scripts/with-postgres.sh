#!/usr/bin/env bash
# Runs a command beside a private PostgreSQL server: Debian's PostgreSQL 15 binaries, a
# fresh data folder under /tmp, a free loopback port, no system service. The command sees
# its administrator's URL in ECONFIANCE_TEST_POSTGRES (the test harness makes one database
# per test on it). The server is stopped and its folder removed when the command ends,
# whatever its outcome; the command's exit status is this script's.
#
#   scripts/with-postgres.sh cargo test -p econfiance-server --tests
set -uo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
[ -x "$PG_BIN/initdb" ] || { echo "error: $PG_BIN/initdb not found: install postgresql-15 (scripts/bootstrap.sh does)" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

# initdb refuses root: as root, the server runs as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir="$(mktemp -d /tmp/econfiance-postgres.XXXXXX)"
chmod 700 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap stop EXIT

# Trust on loopback only, a socket folder of its own; durability off by default (a test
# server: its data lives as long as the command), PG_SETTINGS to choose (the benchmarks keep
# fsync).
PG_SETTINGS="${PG_SETTINGS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}"
as_owner timeout 120 "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 2; }
as_owner timeout 60 "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 50 \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=400 $PG_SETTINGS" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 2; }

export ECONFIANCE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data: $dir/data)" >&2
"$@"
