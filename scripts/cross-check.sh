#!/usr/bin/env bash
# Type-checks and lints the whole workspace for another OS's target, from Linux:
#   scripts/cross-check.sh x86_64-pc-windows-msvc            clippy, warnings denied
#   scripts/cross-check.sh aarch64-apple-darwin --canary     must FAIL on the target-only canary
#
# With Debian's Rust (rustc-web, cargo-web, rust-web-src, rust-web-clippy; installed by
# bootstrap.sh), which carries the standard library's source and so builds `std` for any
# target (-Zbuild-std, allowed on a stable compiler by RUSTC_BOOTSTRAP=1). The project's own
# toolchain is not touched. Build scripts that compile C get the stand-in compiler
# (scripts/cross/stand-in-cc.sh): a type-check never links, so no SDK is needed.
#
# The foreign targets share one build folder, apart from the Linux build
# (ECONFIANCE_CROSS_TARGET_DIR, default ~/.cache/econfiance-cross-target).
#
# --canary builds with the `cross-canary` feature, which switches on a compile_error! in
# code compiled only for that OS (src-tauri/cross_canary.rs): the check passes only if
# the build fails on that error, which proves the target's own code is really compiled.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:?usage: cross-check.sh TARGET [--canary]}"
canary="${2:-}"

for tool in /usr/bin/cargo /usr/bin/rustc /usr/bin/cargo-clippy clang; do
  command -v "$tool" >/dev/null || {
    echo "missing $tool: install Debian's rustc-web cargo-web rust-web-src rust-web-clippy clang llvm (scripts/bootstrap.sh does)" >&2
    exit 1
  }
done

export PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${ECONFIANCE_CROSS_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/econfiance-cross-target}"
unset RUSTC_WRAPPER RUSTFLAGS
var="${target//-/_}"
case "$target" in
  *-linux-*) echo "cross-check.sh is for other OSes; the Linux build is the test command's own" >&2; exit 2 ;;
  *-windows-gnu) ;; # mingw's gcc compiles the C parts for real
  *-windows-msvc)
    export STAND_IN_CC_TARGET="$target"
    export "CC_$var=$REPO/scripts/cross/stand-in-cc.sh" "CXX_$var=$REPO/scripts/cross/stand-in-cc.sh" "AR_$var=llvm-lib"
    ;;
  *-apple-darwin)
    export STAND_IN_CC_TARGET="$target"
    export "CC_$var=$REPO/scripts/cross/stand-in-cc.sh" "CXX_$var=$REPO/scripts/cross/stand-in-cc.sh" "AR_$var=ar"
    ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

# tauri-build needs the UI's output folder to exist (any index.html does for a type-check).
if [ ! -f "$REPO/ui/dist/index.html" ]; then
  mkdir -p "$REPO/ui/dist"
  printf '<!doctype html><title>e-confiance</title>\n' >"$REPO/ui/dist/index.html"
fi

cd "$REPO"
build_std=(-Zbuild-std=std,panic_abort --target "$target" --locked)
if [ "$canary" = "--canary" ]; then
  log="$(mktemp)"
  # The same selection as the check itself (features unify across the workspace), so that
  # only the app's crate is compiled again.
  if cargo clippy "${build_std[@]}" --workspace --all-targets --features econfiance-desktop/cross-canary -- -D warnings >"$log" 2>&1; then
    cat "$log"; rm -f "$log"
    echo "the canary did not fail for $target: the check would not see this OS's own code" >&2
    exit 1
  fi
  if grep -q "cross-target canary for $target" "$log"; then
    echo "ok: the canary fails for $target, as it must"
    rm -f "$log"; exit 0
  fi
  cat "$log"; rm -f "$log"
  echo "the build for $target failed, but not on the canary" >&2
  exit 1
fi
cargo clippy "${build_std[@]}" --workspace --all-targets -- -D warnings
