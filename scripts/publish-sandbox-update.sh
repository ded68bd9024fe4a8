#!/usr/bin/env bash
# Publishes a release of the app on a sandbox server's update feed and download page: copies
# the package into <data-dir>/updates/, signs it with the sandbox key
# (packaging/updater/sandbox.key, no password) for that version, and writes release.json.
# The running server serves it at once.
#
#   scripts/publish-sandbox-update.sh [--download INSTALLER]... PACKAGE VERSION "notes en français" ["notes in English"]
#
# PACKAGE: a .deb, .rpm or .AppImage for Linux x86_64 (the updater target is taken from its
# extension); the download page (/download) offers it too. Each --download INSTALLER adds an
# installer to the download page only (the updater does not fetch it): an NSIS .exe or an
# .msi for Windows, a .dmg for macOS (a universal build: Macs with Apple silicon and Intel
# download the same one), a .deb, .rpm or .AppImage for Linux. The system and kind come from
# the extension, the processors from the name (universal, aarch64 or arm64, x64, x86_64 or
# amd64). The sandbox data folder: $ECONFIANCE_SANDBOX_DIR, default ./sandbox-data (the one
# scripts/run.sh uses). The platform signs its releases in CI with its own key
# (TAURI_SIGNING_PRIVATE_KEY) and builds the app with that key's public half
# (ECONFIANCE_UPDATE_PUBKEY): see docs/installing.md, "Updates".
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

INSTALLERS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --download)
      [ $# -ge 2 ] || usage
      INSTALLERS+=("$2"); shift 2 ;;
    --download=*) INSTALLERS+=("${1#--download=}"); shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "error: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done

[ $# -ge 3 ] || usage
PACKAGE="$1" VERSION="$2" NOTES_FR="$3" NOTES_EN="${4:-$3}"
[ -f "$PACKAGE" ] || { echo "error: no package at $PACKAGE" >&2; exit 1; }
case "$PACKAGE" in
  *.deb) TARGET=linux-x86_64-deb ;;
  *.rpm) TARGET=linux-x86_64-rpm ;;
  *.AppImage) TARGET=linux-x86_64-appimage ;;
  *) echo "error: $PACKAGE: expected a .deb, .rpm or .AppImage" >&2; exit 1 ;;
esac

# "os:kind:arch" of an installer, from its name.
describe() {
  local name os kind arch
  name="$(basename "$1")"
  case "$name" in
    *.exe) os=windows kind=nsis ;;
    *.msi) os=windows kind=msi ;;
    *.dmg) os=macos kind=dmg ;;
    *.deb) os=linux kind=deb ;;
    *.rpm) os=linux kind=rpm ;;
    *.AppImage) os=linux kind=appimage ;;
    *) echo "error: $1: expected an .exe, .msi, .dmg, .deb, .rpm or .AppImage" >&2; return 1 ;;
  esac
  case "$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')" in
    *universal*) arch=universal ;;
    *aarch64*|*arm64*) arch=aarch64 ;;
    *x86_64*|*x64*|*amd64*) arch=x86_64 ;;
    *) arch="" ;;
  esac
  printf '%s:%s:%s\n' "$os" "$kind" "$arch"
}

# Every installer is checked before anything is copied.
spec="$(describe "$PACKAGE")"
DOWNLOADS=("$spec:$(basename "$PACKAGE")")
for installer in "${INSTALLERS[@]+"${INSTALLERS[@]}"}"; do
  [ -f "$installer" ] || { echo "error: no installer at $installer" >&2; exit 1; }
  name="$(basename "$installer")"
  [ "$name" != "release.json" ] || { echo "error: $installer: reserved name" >&2; exit 1; }
  [ "$name" != "$(basename "$PACKAGE")" ] || continue
  spec="$(describe "$installer")"
  DOWNLOADS+=("$spec:$name")
done

DIR="${ECONFIANCE_SANDBOX_DIR:-$REPO/sandbox-data}/updates"
mkdir -p "$DIR"
FILE="$(basename "$PACKAGE")"
cp "$PACKAGE" "$DIR/$FILE"
for installer in "${INSTALLERS[@]+"${INSTALLERS[@]}"}"; do
  cp "$installer" "$DIR/$(basename "$installer")"
done
CI=true "$REPO/ui/node_modules/.bin/tauri" signer sign \
  --private-key-path "$REPO/packaging/updater/sandbox.key" --password "" \
  --app-version "$VERSION" "$DIR/$FILE" >/dev/null
python3 - "$DIR/release.json" "$VERSION" "$NOTES_FR" "$NOTES_EN" "$TARGET" "$FILE" "${DOWNLOADS[@]}" <<'EOF'
import datetime, json, os, sys
path, version, fr, en, target, file = sys.argv[1:7]
downloads = []
for spec in sys.argv[7:]:
    os_name, kind, arch, name = spec.split(":", 3)
    entry = {"os": os_name, "kind": kind}
    if arch:
        entry["arch"] = arch
    entry["file"] = name
    downloads.append(entry)
release = {
    "version": version,
    "pub_date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "notes": {"fr": fr, "en": en},
    "platforms": {target: {"file": file}},
    "downloads": downloads,
}
# Written beside and renamed: the server never reads a half-written release.
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(release, f, ensure_ascii=False, indent=2)
os.replace(tmp, path)
EOF
echo "published $VERSION ($TARGET: $FILE) in $DIR"
for spec in "${DOWNLOADS[@]}"; do
  IFS=: read -r os kind arch name <<<"$spec"
  echo "  download for $os ($kind${arch:+, $arch}): $name"
done
