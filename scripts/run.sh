#!/usr/bin/env bash
# Quick start: installs what is missing, builds, starts the sandbox server, opens the app.
# Idempotent. Stop with Ctrl-C (or close the window): the sandbox server stops too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bootstrap
cd "$REPO"

say "Building the UI and the app (first build: about 5 minutes)"
npm --prefix ui run build --silent
cargo build --quiet -p econfiance-server -p econfiance-desktop --bins

SANDBOX_DIR="${ECONFIANCE_SANDBOX_DIR:-$REPO/sandbox-data}"
SANDBOX_LISTEN="${ECONFIANCE_SANDBOX_LISTEN:-127.0.0.1:8443}"
mkdir -p "$SANDBOX_DIR"
SERVER="$CARGO_TARGET_DIR/debug/econfiance-server"
say "Preparing the sandbox's demo account"
"$SERVER" --data-dir "$SANDBOX_DIR" seed-demo
say "Starting the sandbox server on https://$SANDBOX_LISTEN (data: $SANDBOX_DIR)"
"$SERVER" --data-dir "$SANDBOX_DIR" serve --listen "$SANDBOX_LISTEN" --sandbox --mail-mode outbox \
  >"$SANDBOX_DIR/server.log" 2>&1 &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null || true; [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do
  grep -q "listening on" "$SANDBOX_DIR/server.log" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SANDBOX_DIR/server.log" >&2; die "the sandbox server did not start (is port ${SANDBOX_LISTEN##*:} taken? set ECONFIANCE_SANDBOX_LISTEN)"; }
  sleep 0.1
done

export ECONFIANCE_SERVER_URL="https://$SANDBOX_LISTEN"
export ECONFIANCE_CA_FILE="$SANDBOX_DIR/tls/sandbox-cert.pem"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export DISPLAY="${ECONFIANCE_XVFB_DISPLAY:-:99}"
  say "No display found: running the app on the virtual display $DISPLAY (Xvfb)."
  say "Take a screenshot from another shell with: DISPLAY=$DISPLAY import -window root shot.png"
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  sleep 1
fi

say "Sandbox mails (login links and codes): $ECONFIANCE_SERVER_URL/dev/mailbox"
say "Opening e-confiance (server $ECONFIANCE_SERVER_URL)"
APP="$CARGO_TARGET_DIR/debug/e-confiance"
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  # Single instance and links need a session bus, and the session a keyring: a desktop
  # session has both. Without one, this starts a bus and, in it, a keyring as a desktop
  # would (gnome-keyring, unlocked at start with the sandbox's password), kept under the
  # sandbox folder so that the session survives to the next run.sh. Only the keyring's
  # files go there; the app keeps its own folders where it always does.
  KEYRING_HOME="$SANDBOX_DIR/desktop-keyring"
  mkdir -p "$KEYRING_HOME/run"
  chmod 700 "$KEYRING_HOME" "$KEYRING_HOME/run"
  say "No session bus: starting one, with a keyring kept in $KEYRING_HOME"
  dbus-run-session -- sh -c '
    printf "%s" sandbox | XDG_DATA_HOME="$1" XDG_RUNTIME_DIR="$1/run" \
      gnome-keyring-daemon --unlock --components=secrets >/dev/null
    shift
    exec "$@"' _ "$KEYRING_HOME" "$APP" "$@"
else
  "$APP" "$@"
fi
