#!/usr/bin/env bash
# Sizes of the release Linux packages (.deb, .rpm), their installed size and the app
# binary, with the release profile of Cargo.toml (LTO, one codegen unit, opt-level "s",
# strip) against Cargo's default release profile built in the same run (each in its own
# target folder), and how long each release build took. Rewrites the "Packages" section
# of BENCHMARKS.md.
#
# Usage: scripts/bench-packages.sh   (two release builds: about 20 minutes on 2 cores,
# less when the target folders are warm)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bootstrap
cd "$REPO"
command -v rpm >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q rpm
TAURI="$REPO/ui/node_modules/.bin/tauri"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# build NAME TARGET_DIR [ENV...]: a release build of the packages; prints one table row.
build() {
  local name="$1" target="$2"; shift 2
  local started ended deb rpm_file
  rm -rf "$target/release/bundle"
  started=$(date +%s)
  env "$@" CARGO_TARGET_DIR="$target" "$TAURI" build --bundles deb,rpm --ci >"$OUT/$name.log" 2>&1 \
    || { tail -n 40 "$OUT/$name.log"; exit 1; }
  ended=$(date +%s)
  deb="$(ls "$target"/release/bundle/deb/*.deb)"
  rpm_file="$(ls "$target"/release/bundle/rpm/*.rpm)"
  local deb_size rpm_size installed binary
  deb_size=$(stat -c %s "$deb")
  rpm_size=$(stat -c %s "$rpm_file")
  installed=$(( $(dpkg-deb -f "$deb" Installed-Size) * 1024 ))
  binary=$(stat -c %s "$target/release/e-confiance")
  echo "$name $deb_size $rpm_size $installed $binary $((ended - started)) $(rpm -qp --qf '%{SIZE}' "$rpm_file" 2>/dev/null)"
}

say "Release build with Cargo's default release profile (the baseline)"
BASE=$(build default "$CARGO_TARGET_DIR/release-default" \
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_STRIP=none)
say "Release build with the project's release profile"
TUNED=$(build tuned "$CARGO_TARGET_DIR/release-tuned")
echo "$BASE"; echo "$TUNED"

TABLE="$(python3 - "$BASE" "$TUNED" <<'PY'
import sys
base, tuned = (line.split() for line in sys.argv[1:3])
mib = lambda b: f"{int(b) / 1048576:.1f} MiB"
rows = [("`.deb`", 1), ("`.rpm`", 2), ("installed (.deb's Installed-Size)", 3), ("`/usr/bin/e-confiance`", 4)]
print("| | Cargo's default release profile | this project's release profile | ratio |")
print("|---|---|---|---|")
for label, i in rows:
    print(f"| {label} | {mib(base[i])} | {mib(tuned[i])} | {int(tuned[i]) / int(base[i]):.2f} |")
if len(base) > 6 and len(tuned) > 6:
    print(f"| installed (.rpm's SIZE) | {mib(base[6])} | {mib(tuned[6])} | {int(tuned[6]) / int(base[6]):.2f} |")
print(f"| release build, packages included (s) | {base[5]} | {tuned[5]} | {int(tuned[5]) / max(1, int(base[5])):.2f} |")
PY
)"
echo "$TABLE"

SECTION="$(cat <<MD
<!-- packages:begin -->
## Packages (release .deb and .rpm)

Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`scripts/bench-packages.sh\` on $(nproc) cores,
$(rustc --version), Tauri CLI $("$TAURI" --version | awk '{print $2}'). Both builds in the same run, each in its
own target folder; the build times include the UI build and bundling, and depend on how
warm each folder was (dependencies already compiled count for nothing) and on what else
the machine was doing: read them as rough.
"Cargo's default release profile": LTO off, 16 codegen units, opt-level 3, no strip.
"This project's": LTO, 1 codegen unit, opt-level "s", strip (see Cargo.toml).

$TABLE
<!-- packages:end -->
MD
)"
python3 - "$REPO/BENCHMARKS.md" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- packages:begin -->.*?<!-- packages:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
say "Written to BENCHMARKS.md"
