// Named instants for the benchmarks (scripts/bench-engines.sh): the wall-clock time of a
// moment the user sees (e.g. the dashboard's figures painted), written to the console,
// where a benchmark reads it — WebKit prints the console when the app runs with
// ECONFIANCE_PERF_MARKS=1, Chromium with --enable-logging. Nothing secret is ever marked.

/** Marks `name` now. */
export function mark(name: string): void {
  performance.mark(name);
  print(name, performance.timeOrigin + performance.now());
}

/** Prints the mark `name` at `epochMs` (e.g. the navigation's start). */
export function print(name: string, epochMs: number): void {
  console.info(`econfiance-mark ${name} ${Math.round(epochMs)}`);
}

/** Marks `name` once the changes made so far are on screen (the frame after next). */
export function markPainted(name: string): void {
  requestAnimationFrame(() => requestAnimationFrame(() => mark(name)));
}
