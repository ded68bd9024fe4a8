#!/usr/bin/env bash
# Tests scripts/check-update-keys.sh with throwaway key pairs made by the Tauri CLI: a
# matching pair passes; a mismatched pair, a missing key or a wrong password fails, each
# for its own reason (the message is checked too, so a case cannot pass by failing for
# another reason). Prints one line per case (ok: / FAILED:), then `N passed, N failed`;
# exits non-zero if any case is not as expected. A few seconds (no build; needs Node.js and
# ui/node_modules).
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECK="$REPO/scripts/check-update-keys.sh"
TAURI="${TAURI_CLI:-$REPO/ui/node_modules/.bin/tauri}"

native_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -m "$1"; else printf '%s' "$1"; fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PASSED=0
FAILED=0

# generate NAME PASSWORD: $work/NAME.key and $work/NAME.key.pub.
generate() {
  if ! CI=true "$TAURI" signer generate --ci -w "$(native_path "$work/$1.key")" -p "$2" </dev/null >"$work/$1.log" 2>&1 ||
    [ ! -s "$work/$1.key" ] || [ ! -s "$work/$1.key.pub" ]; then
    echo "FAILED: setup: tauri signer generate made no key pair ($TAURI)"
    cat "$work/$1.log"
    echo "0 passed, 1 failed"
    exit 1
  fi
}

# expect NAME pass|fail PATTERN [VAR=VALUE...] [-- PACKAGE...]: runs the check with only
# these variables set; it must pass or fail as said, and print PATTERN (an ERE).
expect() {
  local name="$1" want="$2" pattern="$3" vars=() out rc
  shift 3
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do vars+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  out="$(env -u ECONFIANCE_UPDATE_PUBKEY -u TAURI_SIGNING_PRIVATE_KEY \
    -u TAURI_SIGNING_PRIVATE_KEY_PASSWORD -u TAURI_SIGNING_PRIVATE_KEY_PATH -u GITHUB_ACTIONS \
    ${vars[@]+"${vars[@]}"} bash "$CHECK" "$@" 2>&1 </dev/null)"
  rc=$?
  local got=pass
  [ "$rc" -ne 0 ] && got=fail
  if [ "$got" = "$want" ] && grep -qE "$pattern" <<<"$out"; then
    PASSED=$((PASSED + 1))
    echo "ok: $name ($(tail -n 1 <<<"$out" | sed 's/^check-update-keys: //'))"
  else
    FAILED=$((FAILED + 1))
    echo "FAILED: $name — expected to $want with /$pattern/, got exit $rc: $(tr '\n' ' ' <<<"$out")"
  fi
}

generate a "password-a"
generate b "password-b"
PUB_A="$(cat "$work/a.key.pub")"
PUB_B="$(cat "$work/b.key.pub")"
KEY_A="$(cat "$work/a.key")"
# A forged public key: pair A's key id, pair B's Ed25519 key (the ids match, the keys do not).
FORGED="$(A="$PUB_A" B="$PUB_B" node -e '
  const raw = (k) => Buffer.from(Buffer.from(k, "base64").toString("utf8").split("\n")[1], "base64");
  const [a, b] = [raw(process.env.A), raw(process.env.B)];
  const forged = Buffer.concat([a.subarray(0, 10), b.subarray(10)]);
  const text = "untrusted comment: forged\n" + forged.toString("base64") + "\n";
  console.log(Buffer.from(text).toString("base64"));
')"
# A package signed with key A for version 1.2.3, as `tauri build` / the CI sign them.
PACKAGE="$work/e-confiance_1.2.3_amd64.deb"
head -c 100000 /dev/urandom >"$PACKAGE" 2>/dev/null || printf 'package %s\n' "$RANDOM" >"$PACKAGE"
TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a" CI=true \
  "$TAURI" signer sign --app-version 1.2.3 "$(native_path "$PACKAGE")" </dev/null >/dev/null 2>&1
ALTERED="$work/altered.deb"
cp "$PACKAGE" "$ALTERED"
cp "$PACKAGE.sig" "$ALTERED.sig"
printf 'x' >>"$ALTERED"

expect "matching pair passes" pass "pairs with the public key" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "mismatched pair fails" fail "key pair does not match" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_B" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "missing public key fails" fail "public key is missing" \
  TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "empty public key fails" fail "public key is missing" \
  ECONFIANCE_UPDATE_PUBKEY=" " TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "missing private key fails" fail "private key is missing" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "wrong password fails" fail "wrong password" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-b"
expect "missing password fails" fail "wrong password" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$KEY_A"
expect "same key id, different key fails" fail "key pair does not match.*keys differ" \
  ECONFIANCE_UPDATE_PUBKEY="$FORGED" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "public key that is not a key fails" fail "not a minisign" \
  ECONFIANCE_UPDATE_PUBKEY="bm90IGEga2V5Cg==" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "private key file path passes" pass "pairs with the public key" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$work/a.key" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a"
expect "sandbox pair (no password) passes" pass "pairs with the public key" \
  ECONFIANCE_UPDATE_PUBKEY="$(cat "$REPO/packaging/updater/sandbox.key.pub")" \
  TAURI_SIGNING_PRIVATE_KEY="$(cat "$REPO/packaging/updater/sandbox.key")"
expect "signed package verifies" pass "1 package signature\(s\) verified" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a" \
  -- "$PACKAGE"
expect "altered package fails" fail "was altered" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a" \
  -- "$ALTERED"
expect "package without signature fails" fail "no signature for" \
  ECONFIANCE_UPDATE_PUBKEY="$PUB_A" TAURI_SIGNING_PRIVATE_KEY="$KEY_A" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="password-a" \
  -- "$work/a.key.pub"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
