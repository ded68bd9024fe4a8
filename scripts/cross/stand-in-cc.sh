#!/usr/bin/env bash
# A stand-in C compiler for type-checking Windows (msvc) and macOS targets on Linux, where
# their SDKs are absent. A type-check never links, so the build scripts that compile C
# (`ring`, …) only need the `cc` crate to find a working compiler and objects to archive:
# - compiler detection (no `-c`): answered by clang with the same arguments;
# - each compilation (`-c`): an empty object for the target, written where `-o X`, `-oX`
#   or `-FoX` (msvc style) says.
# The target comes from STAND_IN_CC_TARGET (set by scripts/cross-check.sh).
set -euo pipefail
target="${STAND_IN_CC_TARGET:?STAND_IN_CC_TARGET names the target, e.g. x86_64-pc-windows-msvc}"
compile=0
output=""
previous=""
for arg in "$@"; do
  case "$arg" in
    -c | /c) compile=1 ;;
    -Fo*) output="${arg#-Fo}" ;;
    /Fo*) output="${arg#/Fo}" ;;
    -o?*) output="${arg#-o}" ;;
  esac
  [ "$previous" = "-o" ] && output="$arg"
  previous="$arg"
done
if [ "$compile" -eq 0 ]; then
  exec clang "$@"
fi
[ -n "$output" ] || { echo "stand-in-cc: no output named in: $*" >&2; exit 1; }
printf '' | clang --target="$target" -x c -c - -o "$output"
