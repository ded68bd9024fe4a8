#!/usr/bin/env bash
# Benchmark: the app against Chromium (issue 9), the same UI bundle in its benchmark mode
# (fixture data through the UI's Backend interface) in this app's release build and in
# Debian's Chromium with --app: cold start to the dashboard painted; memory (PSS over all
# processes) idle on the dashboard and after scrolling through all the reviews. Runs
# alternate between the engines; medians and ratios. Rewrites the "Engines" section of
# BENCHMARKS.md. Then the app alone against the sandbox server (tests/e2e/tests/start_bench.rs):
# warm start with a stored session, a login link opened by the OS with the app running and
# closed, beside two floors measured in the same run: the network floor (process start +
# two HTTPS round trips) and the engine floor (the app spawned to paint an empty page).
#
# Usage: scripts/bench-engines.sh [runs=5] [reviews=100000] [start-runs=9]
# Environment: BENCH_APP_VARIANTS (ECONFIANCE_WEBKIT_TUNING values beside the default, e.g.
# none,all), BENCH_START_VARIANTS (the app's --start-tuning values for the start part, e.g.
# lazy-session,snapshot-first,all; `all@opt3` runs a second release build with opt-level 3,
# built in its own target folder), BENCH_PARTS (engines,start: both by default; one of them
# rewrites only its own table).
# Installs Debian's chromium if missing, and creates the unprivileged user
# econfiance-bench that runs it (Chromium keeps its sandbox only when not root).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bootstrap
cd "$REPO"
RUNS="${1:-5}"
REVIEWS="${2:-100000}"
START_RUNS="${3:-9}"
PARTS="${BENCH_PARTS:-engines,start}"

if ! command -v chromium >/dev/null; then
  say "Installing Debian's Chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
id econfiance-bench >/dev/null 2>&1 || as_root useradd --system --create-home econfiance-bench

say "Building the UI and the app (release)"
(cd ui && npm run --silent build >/dev/null)
cargo build --quiet --release --features econfiance-desktop/bench -p econfiance-desktop -p econfiance-server \
  --features econfiance-desktop/custom-protocol --bins
cargo test --quiet --release -p econfiance-e2e --test engine_bench --test start_bench --no-run 2>/dev/null
# Other builds of the app a start variant names (`all@opt3`), each in its own target folder.
START_BINARIES=""
if [[ ",${BENCH_START_VARIANTS:-}," == *@opt3,* ]]; then
  say "Building the app with opt-level 3 (release, its own target folder)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=3 timeout 3600 cargo build --quiet --release \
    --target-dir "$CARGO_TARGET_DIR-opt3" -p econfiance-desktop \
    --features econfiance-desktop/bench --features econfiance-desktop/custom-protocol --bins
  START_BINARIES="opt3=$CARGO_TARGET_DIR-opt3/release/e-confiance"
  for build in release:"$CARGO_TARGET_DIR/release/e-confiance" opt3:"$CARGO_TARGET_DIR-opt3/release/e-confiance"; do
    echo "binary size, ${build%%:*}: $(stat -c %s "${build#*:}") bytes"
  done
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
JSONL="$WORK/engines.jsonl"
TABLE=""
START_TABLE=""
if [[ ",$PARTS," == *,engines,* ]]; then
say "Running $RUNS rounds, $REVIEWS reviews (a few minutes per round)"
ECONFIANCE_APP_BIN="$CARGO_TARGET_DIR/release/e-confiance" BENCH_RUNS="$RUNS" \
  BENCH_APP_VARIANTS="${BENCH_APP_VARIANTS:-}" BENCH_REVIEWS="$REVIEWS" BENCH_OUT="$JSONL" BENCH_DIST="$REPO/ui/dist" \
  ECONFIANCE_E2E_ARTIFACTS="$REPO/test-artifacts/bench" \
  cargo test --quiet --release -p econfiance-e2e --test engine_bench -- --ignored --nocapture

TABLE="$(python3 - "$JSONL" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
engines = []
for r in rows:
    if r["engine"] not in engines:
        engines.append(r["engine"])
apps = [e for e in engines if e != "chromium"]
def name(e):
    if e == "chromium":
        return "Chromium --app"
    variant = e.partition(":")[2]
    return "e-confiance" + (f" (WebKit tuning: {variant})" if variant else "")
def med(engine, key):
    return statistics.median(r[key] for r in rows if r["engine"] == engine)
metrics = [
    ("cold start → dashboard painted", "cold_start_ms", "ms", 0),
    ("… of which: spawn → the page's navigation starts", "to_navigation_ms", "ms", 0),
    ("… navigation → the page's script runs", "navigation_to_script_ms", "ms", 0),
    ("… script → app mounted", "script_to_mounted_ms", "ms", 0),
    ("… mounted → dashboard painted", "mounted_to_painted_ms", "ms", 0),
    ("memory idle on the dashboard (PSS, all processes)", "idle_pss_mib", "MiB", 0),
    ("memory after scrolling all reviews", "scrolled_pss_mib", "MiB", 0),
    ("scrolling all reviews took", "scroll_s", "s", 1),
]
header = ["median of the runs"] + [name(e) for e in engines] + [f"ratio {name(a)} / Chromium" for a in apps]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for label, key, unit, digits in metrics:
    cells = [label] + [f"{med(e, key):.{digits}f} {unit}" for e in engines]
    cells += [f"{med(a, key) / med('chromium', key):.2f}" for a in apps]
    print("| " + " | ".join(cells) + " |")
print()
for engine in engines:
    runs = [r for r in rows if r["engine"] == engine]
    print(f"- {name(engine)}, each run: cold start ms " + ", ".join(str(r["cold_start_ms"]) for r in runs)
          + "; idle MiB " + ", ".join(f"{r['idle_pss_mib']:.0f}" for r in runs)
          + "; after scroll MiB " + ", ".join(f"{r['scrolled_pss_mib']:.0f}" for r in runs))
PY
)"
echo "$TABLE"
fi

if [[ ",$PARTS," == *,start,* ]]; then
say "The app alone against the sandbox: warm start and links ($START_RUNS runs each)"
START_JSON="$WORK/start.json"
# 3 × START_RUNS login links for one e-mail: the per-e-mail limit raised for this world.
ECONFIANCE_LIMIT_PER_EMAIL_BURST=1000 BENCH_START_VARIANTS="${BENCH_START_VARIANTS:-all}" \
  BENCH_START_BINARIES="$START_BINARIES" \
  ECONFIANCE_APP_BIN="$CARGO_TARGET_DIR/release/e-confiance" BENCH_RUNS="$START_RUNS" \
  BENCH_OUT="$START_JSON" ECONFIANCE_E2E_ARTIFACTS="$REPO/test-artifacts/bench" \
  cargo test --quiet --release -p econfiance-e2e --test start_bench -- --ignored --nocapture
START_TABLE="$(python3 - "$START_JSON" "${BENCH_START_VARIANTS:-all}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
floor = r["floor_ms"]
engine = r["engine_floor_ms"]
variants = r["variants"]
# In the order asked for (the JSON object's keys come sorted).
order = [v for v in sys.argv[2].split(",") if v in variants]
names = order + [v for v in variants if v not in order]
# Ratios to the floors for the app as shipped when it was measured, else the last variant.
shipped = "all" if "all" in variants else names[-1]
BUILDS = {"opt3": "opt-level 3"}
def name(v):
    tuning, _, build = v.partition("@")
    base = "as shipped" if tuning == "all" else f"--start-tuning {tuning}"
    return base + (f", build {BUILDS.get(build, build)}" if build else "")
against = f" ({name(shipped)})" if len(names) > 1 else ""
header = (["median of the runs, ms"] + [name(v) for v in names]
          + ["÷ engine floor" + against, "÷ network floor" + against])
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
print(f"| engine floor: the app spawned → an empty page painted in its window | "
      + " | ".join(f"{engine:.0f}" for _ in names) + f" | 1.0× | {engine / floor:.1f}× |")
print(f"| network floor: process start ({r['floor_process_start_ms']:.0f} ms) + two HTTPS round trips ({r['floor_two_round_trips_ms']:.1f} ms) | "
      + " | ".join(f"{floor:.0f}" for _ in names) + f" | {floor / engine:.2f}× | 1.0× |")
last = variants[shipped]
for label, key in [
    ("warm start, stored session → dashboard painted (last-known figures)", "warm_start_painted_ms"),
    ("warm start → fresh figures from the server painted", "warm_start_fresh_ms"),
    ("link opened by the OS, app running → dashboard painted", "link_app_running_ms"),
    ("… the second process the OS started with the link: spawn → exit", "handoff_exit_ms"),
    ("link opened by the OS, app closed → dashboard painted", "link_app_closed_ms"),
]:
    print(f"| {label} | " + " | ".join(f"{variants[v][key]:.0f}" for v in names)
          + f" | {last[key] / engine:.2f}× | {last[key] / floor:.1f}× |")
print()
print("- engine floor, each round in order, ms: " + ", ".join(f"{x:.0f}" for x in r["engine_floor_each"]))
for v in names:
    each = variants[v]["each"]
    print(f"- {name(v)}, each run in order, ms: " + "; ".join(f"{k}: " + ", ".join(f"{x:.0f}" for x in vals) for k, vals in each.items()))
PY
)"
echo "$START_TABLE"
fi

WEBKIT="$(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null)"
CHROMIUM="$(chromium --version 2>/dev/null | head -n1)"
ENGINES_SECTION=""
if [ -n "$TABLE" ]; then
ENGINES_SECTION="$(cat <<MD
<!-- engines:begin -->
## Engines: the app against Chromium, same bundle

Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`scripts/bench-engines.sh $RUNS $REVIEWS $START_RUNS\` on
$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)), $(free -g | awk '/Mem:/ {print $2}') GiB, Xvfb 1280×800,
$(rustc --version), WebKitGTK $WEBKIT, $CHROMIUM (Debian), release build of the app.
The same \`ui/dist\` bundle in its benchmark mode (\`index.html?bench=$REVIEWS&scroll=1\`:
$REVIEWS fixture reviews through the UI's Backend interface, no server), window 1100×720,
a fresh profile per run, $RUNS runs per engine alternating which goes first. Chromium runs
as an unprivileged user with its sandbox (as on a user's machine), the bundle served over
loopback HTTP (tower-http's ServeDir); the app serves it from its binary. Cold start: process spawned →
the dashboard's figures painted (a mark the page prints, read from the engine's output).
Memory: PSS summed over the engine's whole process tree, 4 s after the paint, and 1 s after
the page scrolled the inbox through all reviews by itself.

$TABLE
<!-- engines:end -->
MD
)"
fi
START_SECTION=""
if [ -n "$START_TABLE" ]; then
START_SECTION="$(cat <<MD
<!-- start:begin -->
### The app alone against the sandbox server

Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`BENCH_PARTS=$PARTS BENCH_START_VARIANTS=${BENCH_START_VARIANTS:-all} scripts/bench-engines.sh $RUNS $REVIEWS $START_RUNS\`
(same machine and versions as above). Release build, real keyring, the sandbox on loopback
HTTPS, 1,000 reviews, $START_RUNS rounds; each round measures every variant in turn, each
variant the three cases in turn (\`tests/e2e/tests/start_bench.rs\`). Links are the login
mail's, opened with \`gio open\` (the OS's handler); with the app running, the second process
hands the link over and exits. Times from the spawn (or \`gio open\`) to the page's mark.

$START_TABLE
<!-- start:end -->
MD
)"
fi
python3 - "$ENGINES_SECTION" "$START_SECTION" <<'PY'
import re, sys
text = open("BENCHMARKS.md").read()
for name, section in (("engines", sys.argv[1]), ("start", sys.argv[2])):
    if not section:
        continue
    pattern = rf"<!-- {name}:begin -->.*?<!-- {name}:end -->"
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
say "BENCHMARKS.md updated (parts: $PARTS)"
