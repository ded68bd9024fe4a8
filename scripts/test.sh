#!/usr/bin/env bash
# Runs every check and test: formatting, lints, type checks, unit and integration tests,
# and the end-to-end tests of the real app window (Xvfb + WebDriver). Idempotent.
# Ends with one summary line, `N passed, N failed`; exits non-zero if anything failed.
#
# Screenshots and logs of the end-to-end tests: test-artifacts/e2e/<test>/.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
set -e
# Installing (system packages, npm packages, three cargo installs) has its own limits inside.
bootstrap
set +e
cd "$REPO"

# The shared build folder grows with every build; once the disk filled up and the linker
# died with SIGBUS. Below 15 GB free, drop the incremental data (rebuilt as needed); below
# 8 GB even then, drop the debug builds altogether (a full rebuild: about 10 minutes).
free_gb() { mkdir -p "$CARGO_TARGET_DIR"; df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 {print int($4 / 1048576)}'; }
if [ "$(free_gb)" -lt 15 ]; then
  say "Only $(free_gb) GB free: removing incremental build data under $CARGO_TARGET_DIR"
  rm -rf "$CARGO_TARGET_DIR"/*/incremental "$CARGO_TARGET_DIR"/*/*/incremental
  if [ "$(free_gb)" -lt 8 ]; then
    say "Still only $(free_gb) GB free: removing the debug builds (they are rebuilt)"
    rm -rf "$CARGO_TARGET_DIR/debug" "$CARGO_TARGET_DIR/packaging"
  fi
fi
export NO_COLOR=1 CARGO_TERM_COLOR=never FORCE_COLOR=0

LOG_DIR="$REPO/test-artifacts/logs"
# A package left installed by an interrupted run would handle econfiance:// system-wide.
dpkg --purge e-confiance >/dev/null 2>&1 || true
rm -rf "$REPO/test-artifacts"
mkdir -p "$LOG_DIR"
PASSED=0
FAILED=0
FAILED_STEPS=()

# Every step has a time limit, so that a hung step fails instead of hanging the run. The
# limits are several times what a cold run on 2 cores takes (minutes).
limited() {
  local minutes="$1"; shift
  local cmd=("$@")
  # timeout runs programs; a function of this script (exported) runs in a child bash.
  if declare -F "$1" >/dev/null; then cmd=(bash -c '"$@"' _ "$@"); fi
  # timeout puts the step in a process group of its own, which it signals whole; Ctrl-C or
  # a kill of this script is passed on to it (the trap), and stdin is never the terminal.
  timeout --kill-after=30 "${minutes}m" "${cmd[@]}" </dev/null &
  local pid=$!
  trap "kill -TERM $pid 2>/dev/null; wait $pid; exit 130" INT TERM HUP
  wait "$pid"
  local status=$?
  trap - INT TERM HUP
  # 124: ended by TERM at the limit; 137: killed 30 s later, not having ended.
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "timed out after $minutes min: $*" >&2
  fi
  return "$status"
}
export -f limited

# check NAME MINUTES COMMAND...: a pass/fail check (formatter, linter, type checker, build).
check() {
  local name="$1" minutes="$2"; shift 2
  say "$name"
  if limited "$minutes" "$@" >"$LOG_DIR/$name.log" 2>&1; then
    PASSED=$((PASSED + 1)); echo "ok: $name"
  else
    FAILED=$((FAILED + 1)); FAILED_STEPS+=("$name"); echo "FAILED: $name"; tail -n 60 "$LOG_DIR/$name.log"
  fi
}

# keyring_session CMD...: runs CMD in a private D-Bus session with its own unlocked
# gnome-keyring (Secret Service) and private XDG folders: the user's keyring is untouched.
keyring_session() {
  local dir rc
  dir="$(mktemp -d)"
  mkdir -p "$dir/data" "$dir/cache" "$dir/config" "$dir/run"
  chmod 700 "$dir/run"
  XDG_DATA_HOME="$dir/data" XDG_CACHE_HOME="$dir/cache" XDG_CONFIG_HOME="$dir/config" XDG_RUNTIME_DIR="$dir/run" \
    dbus-run-session -- sh -c 'printf e2e-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' _ "$@"
  rc=$?
  rm -rf "$dir"
  return $rc
}
export -f keyring_session

# cargo_tests NAME MINUTES ARGS...: a cargo test run; each test counts.
cargo_tests() {
  local name="$1" minutes="$2"; shift 2
  counted "$name" "$minutes" cargo test "$@"
}

# counted NAME MINUTES CMD...: runs a command that prints cargo's "test result" lines; each
# test counts. A failure's reason is shown too: a panic, or the `Error: …` a test returned.
counted() {
  local name="$1" minutes="$2"; shift 2
  say "$name"
  limited "$minutes" "$@" 2>&1 | tee "$LOG_DIR/$name.log" | grep -E "^test |test result:|panicked|^error|^Error: |^timed out"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(grep -oE "test result: [A-Za-z]+\. [0-9]+ passed" "$LOG_DIR/$name.log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -oE "; [0-9]+ failed" "$LOG_DIR/$name.log" | awk '{s+=$2} END {print s+0}')
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  if [ "$status" -ne 0 ]; then
    FAILED_STEPS+=("$name")
    # A build failure runs no test: count it as one failure so it cannot pass unseen.
    [ "$f" -eq 0 ] && FAILED=$((FAILED + 1)) && tail -n 60 "$LOG_DIR/$name.log"
  fi
}

# ui_tests: the UI's unit tests (vitest); each test counts.
ui_tests() {
  say "ui-unit-tests"
  (cd ui && limited 10 npx vitest run --reporter=json --outputFile="$LOG_DIR/vitest.json") >"$LOG_DIR/ui-unit-tests.log" 2>&1
  local status=$?
  local p f
  p=$(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests)' "$LOG_DIR/vitest.json" 2>/dev/null || echo 0)
  f=$(node -e 'const r=require(process.argv[1]);console.log(r.numFailedTests)' "$LOG_DIR/vitest.json" 2>/dev/null || echo 0)
  echo "ui: $p passed, $f failed"
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  if [ "$status" -ne 0 ]; then
    FAILED_STEPS+=("ui-unit-tests"); [ "$f" -eq 0 ] && FAILED=$((FAILED + 1)); tail -n 40 "$LOG_DIR/ui-unit-tests.log"
  fi
}

# npm_audit: the UI's npm packages against npm's advisories (high and critical fail), where
# the registry answers its audit endpoint; where it does not (this machine's registry
# mirror answers 405), says so and counts nothing — the hosted-CI workflow runs it for real.
npm_audit() {
  say "npm-audit"
  (cd ui && limited 3 npm audit --audit-level=high --json) >"$LOG_DIR/npm-audit.json" 2>"$LOG_DIR/npm-audit.log"
  local status=$?
  if ! node -e 'process.exit("auditReportVersion" in require(process.argv[1]) ? 0 : 1)' "$LOG_DIR/npm-audit.json" 2>/dev/null; then
    echo "skipped: npm-audit — the registry did not answer its audit endpoint ($(node -e 'console.log(require(process.argv[1]).message || "no answer")' "$LOG_DIR/npm-audit.json" 2>/dev/null))"
    return 0
  fi
  if [ "$status" -eq 0 ]; then
    PASSED=$((PASSED + 1)); echo "ok: npm-audit"
  else
    FAILED=$((FAILED + 1)); FAILED_STEPS+=("npm-audit"); echo "FAILED: npm-audit"
    node -e 'const r=require(process.argv[1]);console.log(JSON.stringify(r.metadata.vulnerabilities))' "$LOG_DIR/npm-audit.json"
  fi
}

check rustfmt 5 cargo fmt --all --check
check ui-build 10 npm --prefix ui run build
check ui-typecheck 10 npm --prefix ui run check
check ui-lint 10 npm --prefix ui run lint
check licences-up-to-date 5 python3 scripts/licences.py --check
check workflow-lint 5 npm --prefix ui run lint:workflows
# The release job's key-pair check, with a matching and a mismatched pair.
check update-key-check 5 bash scripts/tests/check-update-keys.test.sh
# Supply chain (deny.toml): licences, banned crates, crates.io only. The RustSec advisories
# need a code host this machine cannot reach: the hosted-CI workflow checks them.
check supply-chain-crates 10 cargo deny --locked check licenses bans sources
npm_audit
ui_tests
check clippy 40 cargo clippy --workspace --all-targets --locked -- -D warnings
# The benchmarks' build (the bench feature: --benchmark-page, --start-tuning) still compiles.
check clippy-bench-build 20 cargo clippy --workspace --all-targets --locked --features econfiance-desktop/bench -- -D warnings
# Windows and macOS: the whole workspace type-checked and linted for their targets with
# Debian's Rust (scripts/cross-check.sh), each proven able to fail by its canary.
for target in x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin; do
  check "clippy-$target" 40 scripts/cross-check.sh "$target"
  check "canary-$target" 15 scripts/cross-check.sh "$target" --canary
done
cargo_tests unit-and-integration-tests 40 --workspace --exclude econfiance-e2e --locked
# The server's integration tests again, each server on a fresh database of a private
# PostgreSQL server (scripts/with-postgres.sh starts and stops it); its unit tests, which
# touch no database, ran above.
counted server-tests-postgres 20 scripts/with-postgres.sh cargo test --locked -p econfiance-server --test '*'
counted keyring-tests 10 keyring_session cargo test --locked -p econfiance-client --test keyring -- --ignored --test-threads=1
counted keyring-locked-tests 10 keyring_session cargo test --locked -p econfiance-client --test keyring_locked -- --ignored
check build-app-and-server 30 cargo build --locked -p econfiance-desktop -p econfiance-server --bins
# The API contract: schemathesis against the server's own OpenAPI document, signed in (as
# the company's owner, a manager and a read-only member of its team) and signed out, every check
# on (scripts/contract-test.sh; reports in test-artifacts/contract/).
check contract-signed-in 12 scripts/contract-test.sh signed-in
check contract-signed-in-manager 12 scripts/contract-test.sh signed-in-manager
check contract-signed-in-reader 12 scripts/contract-test.sh signed-in-reader
check contract-signed-out 12 scripts/contract-test.sh signed-out
cargo_tests e2e-tests 40 --locked --no-fail-fast -p econfiance-e2e -- --test-threads=1

# The Linux package: a debug .deb from the Tauri CLI (its own target folder, so that the
# app's feature set there does not force rebuilds of the one above), installed, used and
# removed by tests/e2e/tests/installed_package.rs.
PACKAGING_TARGET="$CARGO_TARGET_DIR/packaging"
check build-deb 30 env CARGO_TARGET_DIR="$PACKAGING_TARGET" ui/node_modules/.bin/tauri build --debug --bundles deb --ci
DEB="$(ls -t "$PACKAGING_TARGET"/debug/bundle/deb/*.deb 2>/dev/null | head -n1)"
counted package-tests 15 env ECONFIANCE_DEB="$DEB" cargo test --locked -p econfiance-e2e --test installed_package -- --ignored

echo
if [ ${#FAILED_STEPS[@]} -gt 0 ]; then echo "failed steps: ${FAILED_STEPS[*]} (logs: test-artifacts/logs/)"; fi
echo "screenshots: test-artifacts/e2e/"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
