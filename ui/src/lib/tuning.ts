// Which start-up changes are on: all of them, unless the window's page was opened with
// `?tuning=…` — the app's hidden `--start-tuning`, in its benchmark builds only, for the
// start benchmark's same-run baselines (src-tauri/cli.rs, `StartTuning`; BENCHMARKS.md).
// `lazy-session` is what shipped before these changes; each other value adds one of them.

/** A start-up change that can be measured alone. */
export type StartChange = "snapshot-first";

function asked(): string | null {
  return typeof location === "undefined"
    ? null
    : new URLSearchParams(location.search).get("tuning");
}

/** The changes the app ships with (the others are on only when asked for by name). */
const SHIPPED: readonly StartChange[] = ["snapshot-first"];

/** Whether `change` is on. */
export function tuned(change: StartChange): boolean {
  const value = asked();
  return value === change || ((value === null || value === "all") && SHIPPED.includes(change));
}
