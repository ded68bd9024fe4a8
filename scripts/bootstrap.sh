#!/usr/bin/env bash
# Installs whatever the app and its tests need and is missing, then exits. Idempotent:
# a second run installs nothing. Sourced by scripts/run.sh and scripts/test.sh.
#
# Needs Debian 12 / Ubuntu 24.04, root or sudo, Rust >= 1.89 and Node.js >= 20.19.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUST_MIN="1.89"
NODE_MIN="20.19"

APT_PACKAGES=(
  # Building the Tauri app (WebKitGTK 4.1) and its crates.
  libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev
  # Running and testing the real window: display, session bus, keyring, WebDriver, links,
  # a notification server (dunst) for the notification tests, and Python's D-Bus and X
  # bindings for the test's tray host (tests/e2e/scripts/tray_host.py) and window closing.
  xvfb xauth webkit2gtk-driver dbus-daemon dbus-bin dbus-x11 libglib2.0-bin xdg-utils
  desktop-file-utils gnome-keyring libsecret-tools imagemagick x11-utils xdotool dunst
  python3-dbus python3-gi python3-xlib
  # The updater installs a .deb through pkexec, zenity/kdialog or sudo (tauri-plugin-updater);
  # the package test's in-app update goes through sudo (no prompt for root).
  sudo
  # Fonts with French glyphs for a readable window and screenshots.
  fonts-dejavu-core
  # Type-checking and linting the Windows and macOS builds (scripts/cross-check.sh): Debian's
  # Rust with the standard library's source (builds `std` for any target), its clippy, and
  # clang and llvm-lib for the stand-in C compiler of build scripts.
  rustc-web cargo-web rust-web-src rust-web-clippy clang llvm
  # The server's tests on PostgreSQL (scripts/with-postgres.sh runs a private server from
  # these binaries; the cluster the package creates is not used).
  postgresql-15 postgresql-contrib
  # The customer's side of an invitation, in a real browser: Debian's Chromium under its
  # WebDriver (tests/e2e/tests/invitations_journey.rs; the engine benchmark uses it too).
  chromium chromium-driver
  # The API contract test's Python environment (schemathesis, from PyPI, in a venv: Debian
  # refuses system-wide pip installs).
  python3-venv
)

say() {
  if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2
  else printf '==> %s\n' "$*" >&2; fi
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "installing system packages needs root: run as root or install sudo"; fi
}

version_ge() { # version_ge HAVE WANT
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

install_system_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian and Ubuntu; install ${missing[*]} by hand"
  say "Installing system packages: ${missing[*]}"
  for attempt in 1 2 3 4 5; do
    as_root timeout 10m apt-get update -q && break
    say "apt-get update failed (attempt $attempt), retrying in 10 s"; sleep 10
  done
  as_root env DEBIAN_FRONTEND=noninteractive timeout 30m apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
}

check_rust() {
  command -v cargo >/dev/null || die "Rust is not installed. Install it with rustup (https://rustup.rs): curl --proto '=https' -sSf https://sh.rustup.rs | sh, then open a new shell."
  local have
  have="$(rustc --version | awk '{print $2}')"
  version_ge "$have" "$RUST_MIN" || die "Rust $have is too old (need >= $RUST_MIN; Debian's apt package is older). Run: rustup update stable"
}

check_node() {
  command -v node >/dev/null || die "Node.js is not installed. Install Node.js >= $NODE_MIN (e.g. from the NodeSource or nvm distributions; Debian 12's apt package is 18, too old)."
  local have
  have="$(node --version | sed 's/^v//')"
  version_ge "$have" "$NODE_MIN" || die "Node.js $have is too old (need >= $NODE_MIN). Install a newer Node.js (NodeSource, nvm)."
}

install_ui_packages() {
  local stamp="$REPO/ui/node_modules/.package-lock.stamp"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$REPO/ui/package-lock.json"; then return 0; fi
  say "Installing the UI's npm packages"
  (cd "$REPO/ui" && timeout 15m npm ci --no-audit --no-fund --loglevel=error)
  cp "$REPO/ui/package-lock.json" "$stamp"
}

install_tauri_driver() {
  command -v tauri-driver >/dev/null && return 0
  [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ] && return 0
  say "Installing tauri-driver (WebDriver for Tauri apps)"
  timeout 20m cargo install tauri-driver --locked --quiet
}

# The supply-chain check of the test command (deny.toml): licences, bans, sources.
install_cargo_deny() {
  command -v cargo-deny >/dev/null && return 0
  [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo-deny" ] && return 0
  say "Installing cargo-deny (supply-chain policy checks)"
  timeout 30m cargo install cargo-deny --locked --quiet
}

# The API contract test (scripts/contract-test.sh): schemathesis, pinned, in a virtual
# environment of its own. Only the test command needs it.
SCHEMATHESIS_VERSION="4.32.5"
CONTRACT_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/econfiance-venv"
install_contract_tester() {
  if "$CONTRACT_VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then return 0; fi
  say "Installing schemathesis $SCHEMATHESIS_VERSION (the API contract test) in $CONTRACT_VENV"
  rm -rf "$CONTRACT_VENV"
  timeout 5m python3 -m venv "$CONTRACT_VENV"
  timeout 15m "$CONTRACT_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

# Builds are reused between runs on one machine: a target folder outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/econfiance-target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

bootstrap() {
  install_system_packages
  check_rust
  check_node
  install_ui_packages
  install_tauri_driver
  install_cargo_deny
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bootstrap; fi
