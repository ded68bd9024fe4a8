#!/usr/bin/env bash
# The server on each database, side by side, in one run (issue 20):
# - the dashboard API at 100,000 reviews (examples/reviews_load.rs: summary, first page,
#   filtered page, search; one request at a time) on SQLite and on PostgreSQL;
# - the mixed load with the real rate limits (examples/mixed_load.rs: login links, token
#   refreshes, replies; every acknowledged reply read back) on SQLite with one instance,
#   and on PostgreSQL with one and with two instances.
# PostgreSQL is a private server (scripts/with-postgres.sh) with fsync on and
# synchronous_commit off, the durability SQLite's WAL with synchronous=NORMAL gives. Rewrites
# the "Databases" section of BENCHMARKS.md.
#
# Usage: scripts/bench-databases.sh [load-seconds=30] [clients=16] [iterations=100] [reviews=100000]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${ECONFIANCE_TEST_POSTGRES:-}" ]; then
  PG_SETTINGS="-c synchronous_commit=off" exec timeout 60m "$REPO/scripts/with-postgres.sh" "$0" "$@"
fi
source "$REPO/scripts/lib/bench-server-common.sh"
LOAD_SECONDS="${1:-30}"
CLIENTS="${2:-16}"
ITERATIONS="${3:-100}"
REVIEWS="${4:-100000}"
OWNER="bench@boulangerie-exemple.fr"

say "Building the server and the drivers (release)"
cargo build --quiet --release -p econfiance-server --bin econfiance-server --example mixed_load --example reviews_load
SERVER="$CARGO_TARGET_DIR/release/econfiance-server"
WORK="$(mktemp -d)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# new_database NAME: a database URL: a fresh PostgreSQL database, or "" for SQLite.
new_database() {
  if [ "$1" = sqlite ]; then echo ""; return; fi
  local name="bench_$RANDOM$RANDOM"
  psql -q "$ECONFIANCE_TEST_POSTGRES" -c "CREATE DATABASE $name" >/dev/null
  echo "${ECONFIANCE_TEST_POSTGRES%/*}/$name"
}

# admin DATA URL ARGS...: an admin command on that data folder and database.
admin() {
  local data="$1" url="$2"; shift 2
  "$SERVER" --data-dir "$data" ${url:+--database-url "$url"} "$@" >/dev/null
}

# serve DATA URL N [FLAG...]: N instances on the data folder (its certificate and server key)
# and database; sets URLS and SERVER_PIDS (comma-separated).
serve() {
  local data="$1" url="$2" n="$3"; shift 3
  URLS=""; SERVER_PIDS=""
  mkdir -p "$data"
  for i in $(seq 1 "$n"); do
    local log="$data/server-$i.log"
    ECONFIANCE_SERVER_LOG=warn "$SERVER" --data-dir "$data" ${url:+--database-url "$url"} \
      serve --listen 127.0.0.1:0 --sandbox "$@" >"$log" 2>&1 &
    PIDS+=($!)
    SERVER_PIDS+="${SERVER_PIDS:+,}$!"
    for _ in $(seq 1 300); do grep -q "listening on" "$log" && break; sleep 0.1; done
    URLS+="${URLS:+,}$(sed -n 's/^econfiance-server: listening on //p' "$log")"
  done
}

stop() { kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; PIDS=(); }

DASHBOARD=""
SEEDED=""
for engine in sqlite postgres; do
  say "Dashboard: $REVIEWS reviews on $engine"
  data="$WORK/dashboard-$engine"; url="$(new_database "$engine")"
  ECONFIANCE_NEW_USER_PASSWORD="$PASSWORD" admin "$data" "$url" create-user "$OWNER" --onboarded
  started=$(date +%s.%N)
  admin "$data" "$url" reviews seed "$OWNER" --count "$REVIEWS"
  SEEDED+="$engine: $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s. "
  serve "$data" "$url" 1 --limit-per-ip-burst 100000000 --limit-per-ip-every-ms 1
  rows="$("$CARGO_TARGET_DIR/release/examples/reviews_load" "$URLS" "$data/tls/sandbox-cert.pem" "$OWNER" "$PASSWORD" "$REVIEWS" "$ITERATIONS")"
  DASHBOARD+="$(sed "s/^| /| $engine | /" <<<"$rows")"$'\n'
  stop
done
echo "$DASHBOARD"

LOAD=""
for setup in "sqlite 1" "postgres 1" "postgres 2"; do
  read -r engine instances <<<"$setup"
  say "Load: $engine, $instances instance(s), $CLIENTS clients, $LOAD_SECONDS s"
  data="$WORK/load-$engine-$instances"; url="$(new_database "$engine")"
  for i in $(seq 0 $((CLIENTS - 1))); do
    ECONFIANCE_NEW_USER_PASSWORD="$PASSWORD" admin "$data" "$url" create-user "load$i@bench.test" --onboarded
    admin "$data" "$url" reviews seed "load$i@bench.test" --count 300 --seed "$i"
  done
  serve "$data" "$url" "$instances"
  table="$("$CARGO_TARGET_DIR/release/examples/mixed_load" "$URLS" "$data/tls/sandbox-cert.pem" "$LOAD_SECONDS" "$CLIENTS" load "$PASSWORD" "$SERVER_PIDS")"
  LOAD+="#### $engine, $instances instance(s)"$'\n\n'"$table"$'\n\n'
  stop
done
echo "$LOAD"

SECTION="$(cat <<MD
<!-- databases:begin -->
## Databases: SQLite and PostgreSQL, one and two instances

Measured $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git rev-parse --short HEAD) with \`scripts/bench-databases.sh $LOAD_SECONDS $CLIENTS $ITERATIONS $REVIEWS\` on
$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)), $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version), release build. PostgreSQL $(psql -At "$ECONFIANCE_TEST_POSTGRES" -c 'SHOW server_version') from Debian, a private server on
loopback with fsync on and \`synchronous_commit=off\` (what SQLite's WAL with
\`synchronous=NORMAL\` gives: a crash of the machine may lose the last commits, a crash of
the server none). **On these 2 cores the server instances, PostgreSQL and the load driver
share the machine: these figures show that both engines and two instances are correct under
load, and what each costs; they do not show scale-out**, which needs instances on machines
of their own.

### Dashboard API at $REVIEWS reviews (one request at a time, $ITERATIONS measured after 10 warm-up)

Seeding $REVIEWS reviews: $SEEDED

| engine | reviews | request | rows matched | ok | errors | median ms | p99 ms |
|---|---|---|---|---|---|---|---|
$DASHBOARD
### Mixed load with the real rate limits ($CLIENTS clients, $LOAD_SECONDS s; as in "Load" below)

$LOAD<!-- databases:end -->
MD
)"
python3 - "$REPO/BENCHMARKS.md" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- databases:begin -->.*?<!-- databases:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
say "BENCHMARKS.md updated (section \"Databases\")"
