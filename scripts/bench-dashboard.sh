#!/usr/bin/env bash
# Benchmark of the dashboard at 10,000 and 100,000 reviews (issue 7):
# - the server (release build, loopback HTTPS, one request at a time): summary, first page,
#   filtered page and search — median and p99;
# - the real app (release build, Xvfb, WebDriver): a click on "Avis" → first rows painted,
#   beside the same page fetched through the app's backend alone; memory (PSS of the app
#   and its WebKit processes) idle on the inbox and while the whole list is scrolled.
# Rewrites the "Dashboard" section of BENCHMARKS.md.
#
# Usage: scripts/bench-dashboard.sh [iterations=300] [openings=9] [counts=10000,100000]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bootstrap
cd "$REPO"
ITERATIONS="${1:-300}"
OPENINGS="${2:-9}"
COUNTS="${3:-10000,100000}"
PASSWORD="trois tortues lisent Proust"
OWNER="bench@boulangerie-exemple.fr"

say "Building the UI, the app, the server and the drivers (release)"
(cd ui && npm run --silent build >/dev/null)
cargo build --quiet --release --features econfiance-desktop/bench -p econfiance-desktop -p econfiance-server \
  --features econfiance-desktop/custom-protocol --bins --example reviews_load
cargo test --quiet --release -p econfiance-e2e --test inbox_bench --no-run 2>/dev/null
SERVER="$CARGO_TARGET_DIR/release/econfiance-server"
DRIVER="$CARGO_TARGET_DIR/release/examples/reviews_load"

WORK="$(mktemp -d)"
trap 'kill "${SERVER_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
ROWS=""
SEED=""
for count in ${COUNTS//,/ }; do
  say "Server: $count reviews"
  data="$WORK/server-$count"
  "$SERVER" --data-dir "$data" create-user "$OWNER" --onboarded --password "$PASSWORD" >/dev/null 2>&1
  started=$(date +%s.%N)
  "$SERVER" --data-dir "$data" reviews seed "$OWNER" --count "$count" >/dev/null
  SEED+="$count reviews seeded in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s (release). "
  ECONFIANCE_SERVER_LOG=warn "$SERVER" --data-dir "$data" serve --listen 127.0.0.1:0 --sandbox \
    --limit-per-ip-burst 100000000 --limit-per-ip-every-ms 1 >"$data/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$data/server.log" && break; sleep 0.1; done
  url="$(sed -n 's/^econfiance-server: listening on //p' "$data/server.log")"
  ROWS+="$("$DRIVER" "$url" "$data/tls/sandbox-cert.pem" "$OWNER" "$PASSWORD" "$count" "$ITERATIONS")"$'\n'
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
done
echo "$ROWS"

say "App: opening the inbox and scrolling it ($OPENINGS openings per count)"
JSONL="$WORK/inbox.jsonl"
BENCH_REVIEWS="$COUNTS" BENCH_RUNS="$OPENINGS" BENCH_OUT="$JSONL" \
  ECONFIANCE_E2E_ARTIFACTS="$REPO/test-artifacts/bench" \
  cargo test --quiet --release -p econfiance-e2e --test inbox_bench -- --ignored --nocapture
APP_TABLE="$(python3 - "$JSONL" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| reviews | click → first rows painted, median ms | backend's first page alone, median ms | ratio | idle on the inbox, MiB | peak while scrolling all, MiB | after scrolling all, MiB | whole list scrolled in |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    o, b = r["open_to_rows_median_ms"], r["backend_first_page_median_ms"]
    print(f"| {r['reviews']:,} | {o:.0f} | {b:.0f} | {o / b:.1f}× | {r['idle_on_inbox_mib']:.0f} | {r['scroll_peak_mib']:.0f} | {r['scroll_end_mib']:.0f} | {r['scroll_all_s']:.1f} s |".replace(",", "\u202f"))
print()
print("Each opening, ms: " + "; ".join(f"{r['reviews']}: " + ", ".join(f"{x:.0f}" for x in r["open_to_rows_ms"]) for r in rows))
PY
)"
echo "$APP_TABLE"

SECTION="$(cat <<MD
<!-- dashboard:begin -->
## Dashboard: server API and the app's inbox

Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`scripts/bench-dashboard.sh $ITERATIONS $OPENINGS $COUNTS\` on
$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)), $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version), WebKitGTK $(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null), release builds.
One company holding all the reviews (\`reviews seed\`); $SEED

### Server (loopback HTTPS, one request at a time, $ITERATIONS measured after 10 warm-up)

| reviews | request | rows matched | ok | errors | median ms | p99 ms |
|---|---|---|---|---|---|---|
$ROWS
### App (real window under Xvfb, WebKit without compositing, driven over WebDriver)

"Click → first rows painted": measured in the page from the click on "Avis" (the inbox is
created, asks the first 100 rows, renders them) to the second animation frame after the
first row is in the document. "Backend's first page alone": the same request through the
app's command (IPC → Rust → HTTPS → JSON back), nothing rendered, alternated with the
openings. Memory: PSS summed over the app process and its descendants (WebKit's web and
network processes); "scrolling all" loads every page of 100 rows and renders each end of
the list; memory sampled every 250 ms meanwhile.

$APP_TABLE
<!-- dashboard:end -->
MD
)"
BENCH="$REPO/BENCHMARKS.md"
python3 - "$BENCH" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- dashboard:begin -->.*?<!-- dashboard:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
say "Written to BENCHMARKS.md"
