#!/usr/bin/env bash
# Load test of the sandbox server on loopback, with its real rate limits: N clients, each
# the owner of its own company, cycle for a fixed time through a login-link request, a token
# refresh and a reply (crates/econfiance-server/examples/mixed_load.rs). Then every
# acknowledged reply is read back and the server's memory, sampled each second, is reported.
# Fails if a request failed other than by a rate limit or a write was lost. Rewrites the
# "Load" section of BENCHMARKS.md.
#
# Usage: scripts/bench-load.sh [seconds=60] [clients=16]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-server-common.sh"
SECONDS_PER_RUN="${1:-60}"
CLIENTS="${2:-16}"

bench_build mixed_load
bench_data_dir
say "Creating $CLIENTS accounts with 300 reviews each"
for i in $(seq 0 $((CLIENTS - 1))); do
  ECONFIANCE_NEW_USER_PASSWORD="$PASSWORD" "$SERVER" --data-dir "$DATA" create-user "load$i@bench.test" --onboarded 2>/dev/null
  "$SERVER" --data-dir "$DATA" reviews seed "load$i@bench.test" --count 300 --seed "$i" 2>/dev/null
done
# The server's own limits (per e-mail, per address); all clients share 127.0.0.1.
bench_serve

say "Loading ($CLIENTS clients, $SECONDS_PER_RUN s)"
TABLE="$("$DRIVER" "$URL" "$DATA/tls/sandbox-cert.pem" "$SECONDS_PER_RUN" "$CLIENTS" load "$PASSWORD" "$SERVER_PID")"
echo "$TABLE"

SECTION="$(cat <<MD
<!-- load:begin -->
## Load: logins, refreshes and replies with the real rate limits

Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`scripts/bench-load.sh $SECONDS_PER_RUN $CLIENTS\` on
$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)), $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version), release build; server and driver share the machine, SQLite in WAL mode
on local disk. $CLIENTS clients, each signed in as the owner of its own company (300 reviews),
cycle for $SECONDS_PER_RUN s through a login-link request for its own e-mail, a token refresh
(each answer's token is the next request's) and a reply to one of its reviews. The server
runs with its default limits (5 links per e-mail then one a minute, a 30 s "Renvoyer"
cooldown, 60 auth requests per address then one per 500 ms) and every client comes from
127.0.0.1, so most login and refresh requests are meant to be refused with 429.

$TABLE
<!-- load:end -->
MD
)"
python3 - "$SECTION" <<'PY'
import re, sys
section = sys.argv[1]
text = open("BENCHMARKS.md").read()
if "<!-- load:begin -->" in text:
    text = re.sub(r"<!-- load:begin -->.*?<!-- load:end -->", lambda _: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
say "BENCHMARKS.md updated (section \"Load\")"
