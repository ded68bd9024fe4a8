#!/usr/bin/env bash
# Publishes a release of the app on a sandbox server's update feed: copies the package into
# <data-dir>/updates/, signs it with the sandbox key (packaging/updater/sandbox.key, no
# password) for that version, and writes release.json. The running server serves it at once.
#
#   scripts/publish-sandbox-update.sh PACKAGE VERSION "notes en français" ["notes in English"]
#
# PACKAGE: a .deb, .rpm or .AppImage for Linux x86_64 (the updater target is taken from its
# extension). The sandbox data folder: $ECONFIANCE_SANDBOX_DIR, default ./sandbox-data (the
# one scripts/run.sh uses). The platform signs its releases in CI with its own key
# (TAURI_SIGNING_PRIVATE_KEY) and builds the app with that key's public half
# (ECONFIANCE_UPDATE_PUBKEY): see README, "Updates".
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

[ $# -ge 3 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
PACKAGE="$1" VERSION="$2" NOTES_FR="$3" NOTES_EN="${4:-$3}"
[ -f "$PACKAGE" ] || { echo "error: no package at $PACKAGE" >&2; exit 1; }
case "$PACKAGE" in
  *.deb) TARGET=linux-x86_64-deb ;;
  *.rpm) TARGET=linux-x86_64-rpm ;;
  *.AppImage) TARGET=linux-x86_64-appimage ;;
  *) echo "error: $PACKAGE: expected a .deb, .rpm or .AppImage" >&2; exit 1 ;;
esac

DIR="${ECONFIANCE_SANDBOX_DIR:-$REPO/sandbox-data}/updates"
mkdir -p "$DIR"
FILE="$(basename "$PACKAGE")"
cp "$PACKAGE" "$DIR/$FILE"
CI=true "$REPO/ui/node_modules/.bin/tauri" signer sign \
  --private-key-path "$REPO/packaging/updater/sandbox.key" --password "" \
  --app-version "$VERSION" "$DIR/$FILE" >/dev/null
python3 - "$DIR/release.json" "$VERSION" "$NOTES_FR" "$NOTES_EN" "$TARGET" "$FILE" <<'EOF'
import datetime, json, sys
path, version, fr, en, target, file = sys.argv[1:]
release = {
    "version": version,
    "pub_date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "notes": {"fr": fr, "en": en},
    "platforms": {target: {"file": file}},
}
with open(path, "w") as f:
    json.dump(release, f, ensure_ascii=False, indent=2)
EOF
echo "published $VERSION ($TARGET: $FILE) in $DIR"
