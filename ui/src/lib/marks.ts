// Named instants for the benchmarks (scripts/bench-engines.sh): the wall-clock time of a
// moment the user sees (e.g. the dashboard's figures painted), written to the console,
// where a benchmark reads it — WebKit prints the console when the app runs with
// ECONFIANCE_PERF_MARKS=1, Chromium with --enable-logging. Nothing secret is ever marked.

/** Marks `name` now. */
export function mark(name: string): void {
  performance.mark(name);
  console.info(`econfiance-mark ${name} ${Math.round(performance.timeOrigin + performance.now())}`);
}

/** Marks `name` once the changes made so far are on screen (the frame after next). */
export function markPainted(name: string): void {
  requestAnimationFrame(() => requestAnimationFrame(() => mark(name)));
}
