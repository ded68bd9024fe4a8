#!/usr/bin/env bash
# Long fuzzing runs (libFuzzer through cargo-fuzz) of the three targets: the deep-link
# parser, the sandbox server's handling of any request, the client's reading of any answer.
# Their bodies are in crates/econfiance-fuzz; the corpus they grow is fuzz/corpus/<target>/,
# which the test command replays (crates/econfiance-fuzz/tests/corpus.rs) — commit what a
# run adds (after `cargo fuzz cmin`, if it grew large).
#
# Usage: scripts/fuzz.sh [seconds per target=300] [target ...]
# Environment: FUZZ_SANITIZER (address by default; none is faster), FUZZ_JOBS (1).
# A crash stops the run and leaves its input in fuzz/artifacts/<target>/: fix the bug, then
# copy the input into the corpus so that it stays a test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$REPO"
SECONDS_PER_TARGET="${1:-300}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(deep_link server_request client_response)

if ! cargo fuzz --version >/dev/null 2>&1; then
  say "Installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

# cargo-fuzz passes nightly flags (-Z); this machine's toolchain is stable, and
# RUSTC_BOOTSTRAP lets it accept them (ENVIRONMENT.md).
export RUSTC_BOOTSTRAP=1
for target in "${TARGETS[@]}"; do
  say "Fuzzing $target for ${SECONDS_PER_TARGET} s"
  cargo fuzz run --fuzz-dir fuzz --target-dir "$CARGO_TARGET_DIR/fuzz" \
    --sanitizer "${FUZZ_SANITIZER:-address}" --jobs "${FUZZ_JOBS:-1}" \
    "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -timeout=10 -rss_limit_mb=4096
done
say "Corpus now: $(for t in "${TARGETS[@]}"; do printf '%s %s inputs; ' "$t" "$(ls "fuzz/corpus/$t" | wc -l)"; done)"
