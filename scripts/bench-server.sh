#!/usr/bin/env bash
# Benchmark of the platform server's auth API on loopback: login requests and token
# refresh under load (throughput, median, p90, p99), and the latency of login requests for
# known and unknown e-mails one at a time. Builds in release mode, starts a fresh server
# with its rate limits lifted (the limits are not what is measured), and rewrites the
# "Auth server" section of BENCHMARKS.md.
#
# Usage: scripts/bench-server.sh [seconds=10] [clients=16]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-server-common.sh"
SECONDS_PER_RUN="${1:-10}"
CLIENTS="${2:-16}"

bench_build auth_load
bench_data_dir
say "Creating $CLIENTS accounts"
for i in $(seq 0 $((CLIENTS - 1))); do
  ECONFIANCE_NEW_USER_PASSWORD="$PASSWORD" "$SERVER" --data-dir "$DATA" create-user "bench$i@bench.test" 2>/dev/null
done
bench_serve \
  --limit-per-email-burst 100000000 --limit-per-email-every-secs 1 \
  --limit-per-ip-burst 100000000 --limit-per-ip-every-ms 1 --resend-cooldown-secs 0

say "Measuring ($CLIENTS clients, $SECONDS_PER_RUN s per run)"
TABLE="$("$DRIVER" "$URL" "$DATA/tls/sandbox-cert.pem" "$SECONDS_PER_RUN" "$CLIENTS" bench "$PASSWORD")"
echo "$TABLE"

SECTION="$(cat <<MD
<!-- auth-server:begin -->
## Auth server (econfiance-server, loopback HTTPS)

Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`scripts/bench-server.sh $SECONDS_PER_RUN $CLIENTS\` on
$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)), $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version), release build. Server and load driver share the machine; SQLite in WAL
mode on local disk; mails of known accounts go to the sandbox outbox (one write each).
Rate limits lifted for the run. Load runs: $CLIENTS concurrent clients sharing one HTTP/1.1
connection pool; "login requests" alternate a known and a new unknown e-mail; "token refresh" has each
client rotate its own session's token in a loop (each answer's token is the next request's).

$TABLE

The last four lines are the timing-leak check: the same request for a known and for an
unknown e-mail, alternating, one at a time. Login requests: known e-mails queue a mail (sent
by a worker after the answer); unknown ones do the same database work and queue nothing.
Wrong passwords: a known e-mail's password is checked against its argon2id hash, an unknown
e-mail's against a dummy hash made at start, so both cost one argon2id verification. In sandbox
mode the mail worker then writes the mail to the outbox table of the same SQLite database,
which likely explains most of any residual gap (not verified separately: an SMTP delivery
run is not measured here).
<!-- auth-server:end -->
MD
)"
BENCH="$REPO/BENCHMARKS.md"
[ -f "$BENCH" ] || printf '# Benchmarks\n\nFigures measured on this project'"'"'s machines, with the command that produced each.\n\n' >"$BENCH"
python3 - "$BENCH" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- auth-server:begin -->.*?<!-- auth-server:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
say "Written to BENCHMARKS.md"
