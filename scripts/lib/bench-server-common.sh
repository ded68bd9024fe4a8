# shellcheck shell=bash
# Shared by scripts/bench-server.sh and scripts/bench-load.sh, which source it: the
# bootstrap, the release build of the server and of a load driver, a throw-away data folder,
# and the sandbox server started on a free loopback port.

source "$(dirname "${BASH_SOURCE[0]}")/../bootstrap.sh"
cd "$REPO" || exit
# The password of every account a benchmark creates.
# shellcheck disable=SC2034 # used by the scripts that source this file
PASSWORD="Bench-password-2026-solide"

# bench_build EXAMPLE: builds the server and the load driver examples/EXAMPLE (release);
# sets SERVER and DRIVER to their binaries.
# shellcheck disable=SC2034 # DRIVER: for the scripts that source this file
bench_build() {
  say "Building the server and the load driver (release)"
  cargo build --quiet --release -p econfiance-server --bin econfiance-server --example "$1"
  SERVER="$CARGO_TARGET_DIR/release/econfiance-server"
  DRIVER="$CARGO_TARGET_DIR/release/examples/$1"
}

# bench_data_dir: a fresh data folder in DATA; on exit the server (if started) is stopped
# and the folder removed.
bench_data_dir() {
  DATA="$(mktemp -d)"
  trap 'kill "${SERVER_PID:-0}" 2>/dev/null || true; rm -rf "$DATA"' EXIT
}

# bench_serve [FLAG...]: starts the sandbox server on DATA, on a free loopback port, with
# the extra FLAGs, and waits until it listens (its log: $DATA/server.log); sets SERVER_PID
# and URL, then exports ECONFIANCE_SERVER_LOG=warn for what runs next.
# shellcheck disable=SC2034 # URL: for the scripts that source this file
bench_serve() {
  "$SERVER" --data-dir "$DATA" serve --listen 127.0.0.1:0 --sandbox "$@" >"$DATA/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$DATA/server.log" && break; sleep 0.1; done
  URL="$(sed -n 's/^econfiance-server: listening on //p' "$DATA/server.log")"
  export ECONFIANCE_SERVER_LOG=warn
}
