// Named instants for the benchmarks (scripts/bench-engines.sh): the wall-clock time of a
// moment the user sees (e.g. the dashboard's figures painted), written to the console,
// where a benchmark reads it — WebKit prints the console when the app runs with
// ECONFIANCE_PERF_MARKS=1, Chromium with --enable-logging. A mark may carry what was on
// screen (`count=1000`: the review count painted), which the benchmark checks before it
// records the time. Nothing secret is ever marked.

/** Marks `name` now, with what was on screen (`detail`), if given. */
export function mark(name: string, detail = ""): void {
  performance.mark(name);
  print(name, performance.timeOrigin + performance.now(), detail);
}

/** Prints the mark `name` at `epochMs` (e.g. the navigation's start). */
export function print(name: string, epochMs: number, detail = ""): void {
  const suffix = detail === "" ? "" : ` ${detail}`;
  console.info(`econfiance-mark ${name} ${Math.round(epochMs)}${suffix}`);
}

/**
 * Marks `name` once the changes made so far are on screen (the frame after next); `detail`
 * is read then, from what the page shows.
 */
export function markPainted(name: string, detail?: () => string): void {
  requestAnimationFrame(() => requestAnimationFrame(() => mark(name, detail?.() ?? "")));
}
