#!/usr/bin/env bash
# Checks the platform's update key pair before a release is built or published: that the
# public key the app will trust and the private key the packages are signed with are both
# there and belong together. Exits non-zero, with one clear message, when they do not.
#
#   ECONFIANCE_UPDATE_PUBKEY=... TAURI_SIGNING_PRIVATE_KEY=... \
#   TAURI_SIGNING_PRIVATE_KEY_PASSWORD=... scripts/check-update-keys.sh [PACKAGE...]
#
# ECONFIANCE_UPDATE_PUBKEY: the public key as the Tauri CLI writes it (base64 of the minisign
# public key file, like `plugins.updater.pubkey` in tauri.conf.json); the file's text itself
# is accepted too. TAURI_SIGNING_PRIVATE_KEY: the private key string (or a path to its
# file), TAURI_SIGNING_PRIVATE_KEY_PASSWORD its password (empty or unset: none).
#
# How: `tauri signer sign` signs a small temporary file with the private key (this also
# proves the password), then the signature is verified against the public key with Node's
# own Ed25519 (minisign format: the key ids must match, the signature of the file's
# BLAKE2b-512 hash and the global signature over the trusted comment must verify).
# With PACKAGE arguments, each PACKAGE.sig (written by the bundler or `tauri signer sign`)
# must also verify against the public key, for the same file.
#
# Needs bash, Node.js and the UI's npm packages (ui/node_modules, for the Tauri CLI; another
# CLI: $TAURI_CLI). Runs on Linux, macOS and Windows (Git Bash).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAURI="${TAURI_CLI:-$REPO/ui/node_modules/.bin/tauri}"

# In GitHub Actions the message is also an error annotation on the run's summary.
ANNOTATE=""
if [ "${GITHUB_ACTIONS:-}" = "true" ]; then ANNOTATE="::error title=Update keys::"; fi
export ANNOTATE
fail() { printf '%scheck-update-keys: error: %s\n' "$ANNOTATE" "$*" >&2; exit 1; }

# A path as Node (a native program) reads it: Git Bash's /tmp/... is C:/.../Temp/... there.
native_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -m "$1"; else printf '%s' "$1"; fi
}

command -v node >/dev/null 2>&1 || fail "Node.js is not installed (it verifies the signature)"
[ -e "$TAURI" ] || fail "no Tauri CLI at $TAURI: install the UI's npm packages first (npm ci --prefix ui)"

pubkey="${ECONFIANCE_UPDATE_PUBKEY:-}"
private_key="${TAURI_SIGNING_PRIVATE_KEY:-}"
[ -n "${pubkey//[[:space:]]/}" ] ||
  fail "the update public key is missing: set ECONFIANCE_UPDATE_PUBKEY (the .pub file written by \`tauri signer generate\`, as one base64 line)"
[ -n "${private_key//[[:space:]]/}" ] ||
  fail "the update private key is missing: set TAURI_SIGNING_PRIVATE_KEY (and TAURI_SIGNING_PRIVATE_KEY_PASSWORD)"
# `tauri build` also takes a path to the key file; `tauri signer sign` wants the string.
if [ -f "$private_key" ]; then private_key="$(cat "$private_key")"; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sample="$work/update-key-check.bin"
printf 'e-confiance update key check %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$RANDOM$RANDOM" >"$sample"

# The key and password go through the environment, not the command line (process lists).
# CI=true: never prompt for a password; an unset one is the empty password.
if ! (
  unset TAURI_SIGNING_PRIVATE_KEY_PATH
  export TAURI_SIGNING_PRIVATE_KEY="$private_key" CI=true
  export TAURI_SIGNING_PRIVATE_KEY_PASSWORD="${TAURI_SIGNING_PRIVATE_KEY_PASSWORD:-}"
  exec "$TAURI" signer sign "$(native_path "$sample")"
) </dev/null >"$work/sign.log" 2>&1; then
  if grep -qiE 'wrong password|incorrect .*password' "$work/sign.log"; then
    fail "the private key cannot be opened with TAURI_SIGNING_PRIVATE_KEY_PASSWORD: wrong password (or a password is needed)"
  fi
  hint=""
  case "$private_key" in *[[:space:]]*) hint=" (it holds spaces or line breaks: store the one line of the .key file exactly, as \`tauri build\` reads it)" ;; esac
  fail "the private key is not usable: $(grep -iv 'app version' "$work/sign.log" | grep -v '^[[:space:]]*$' | head -n 1 | sed 's/^[[:space:]]*//')$hint"
fi
[ -s "$sample.sig" ] || fail "tauri signer sign wrote no signature (expected $sample.sig)"

# The verifier: $PUBKEY, then FILE SIGFILE pairs as arguments; prints the key id, or one
# message and exits 1. A file, not `node -e`: Git Bash would rewrite path-like arguments.
cat >"$work/verify.js" <<'EOF'
const fs = require("fs");
const crypto = require("crypto");
const pubkeyText = process.env.PUBKEY;
const files = process.argv.slice(2);
function fail(message) {
  console.error(`${process.env.ANNOTATE || ""}check-update-keys: error: ${message}`);
  process.exit(1);
}
// Tauri's key and signature strings are base64 of minisign's text files; take either.
function lines(value, what) {
  let text = String(value).trim();
  if (!text.startsWith("untrusted comment:")) text = Buffer.from(text, "base64").toString("utf8");
  const result = text.split(/\r?\n/);
  if (!result[0] || !result[0].startsWith("untrusted comment:")) fail(`${what} is not a minisign file (nor base64 of one)`);
  return result;
}
// minisign shows key ids as the little-endian 64-bit number, in hex.
const keyId = (bytes) => Buffer.from(bytes).reverse().toString("hex").toUpperCase();

const pub = Buffer.from(lines(pubkeyText, "the public key (ECONFIANCE_UPDATE_PUBKEY)")[1] || "", "base64");
if (pub.length !== 42 || pub.subarray(0, 2).toString("latin1") !== "Ed")
  fail("the public key (ECONFIANCE_UPDATE_PUBKEY) is not a minisign Ed25519 public key");
const publicKey = crypto.createPublicKey({
  key: { kty: "OKP", crv: "Ed25519", x: pub.subarray(10).toString("base64url") },
  format: "jwk",
});

for (let i = 0; i < files.length; i += 2) {
  const [file, sigFile] = [files[i], files[i + 1]];
  if (!fs.existsSync(sigFile)) fail(`no signature for ${file} (expected ${sigFile})`);
  const [, sigLine, trusted, globalLine] = lines(fs.readFileSync(sigFile, "utf8"), sigFile);
  const sig = Buffer.from(sigLine || "", "base64");
  const global = Buffer.from(globalLine || "", "base64");
  const alg = sig.subarray(0, 2).toString("latin1");
  if (sig.length !== 74 || !["Ed", "ED"].includes(alg) || !(trusted || "").startsWith("trusted comment: ") || global.length !== 64)
    fail(`${sigFile} is not a minisign signature`);
  // The first pair is the sample just signed with the private key, the others packages.
  const [signedBy, pubId] = [keyId(sig.subarray(2, 10)), keyId(pub.subarray(2, 10))];
  if (signedBy !== pubId)
    fail(i === 0
      ? `the key pair does not match: the private key is key ${signedBy}, the public key is key ${pubId}`
      : `${file} is signed by key ${signedBy}, not by the public key's ${pubId}`);
  // "ED": the signature is of the file's BLAKE2b-512 hash (what Tauri writes); "Ed": of the file.
  const data = fs.readFileSync(file);
  const message = alg === "ED" ? crypto.createHash("blake2b512").update(data).digest() : data;
  if (!crypto.verify(null, message, publicKey, sig.subarray(10)))
    fail(i === 0
      ? `the key pair does not match: the private key's signature does not verify against the public key (both say key ${pubId}, but the keys differ)`
      : `the signature of ${file} does not verify against the public key ${pubId}: the file was altered, or signed by another key`);
  const comment = Buffer.from(trusted.slice("trusted comment: ".length), "utf8");
  if (!crypto.verify(null, Buffer.concat([sig.subarray(10), comment]), publicKey, global))
    fail(`the trusted comment (version, file name) in ${sigFile} does not verify against the public key ${pubId}`);
}
console.log(keyId(pub.subarray(2, 10)));
EOF

pairs=("$(native_path "$sample")" "$(native_path "$sample.sig")")
for package in "$@"; do
  [ -f "$package" ] || fail "no package at $package"
  pairs+=("$(native_path "$package")" "$(native_path "$package.sig")")
done
key_id="$(PUBKEY="$pubkey" node "$(native_path "$work/verify.js")" "${pairs[@]}")" || exit 1
echo "check-update-keys: ok: the private key opens with its password and pairs with the public key $key_id${1:+; $# package signature(s) verified}"
