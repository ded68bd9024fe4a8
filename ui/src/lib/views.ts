// The screens a start does not need, each loaded on first use (its own chunk), so that the
// first frame waits only for the login screen and the dashboard's figures. Once the first
// frame is painted they are fetched in the background (`prefetchViews`), so that opening
// one later costs nothing noticeable. Each loader imports its module once.
import { tuned } from "./tuning";

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load());
}

export const views = {
  inbox: once(() => import("../screens/Inbox.svelte")),
  settings: once(() => import("../screens/Settings.svelte")),
  help: once(() => import("../screens/Help.svelte")),
  onboarding: once(() => import("../screens/Onboarding.svelte")),
  demo: once(() => import("../screens/Demo.svelte")),
  forgot: once(() => import("../screens/ForgotPassword.svelte")),
  newPassword: once(() => import("../screens/NewPassword.svelte")),
  switchAccount: once(() => import("../screens/SwitchAccount.svelte")),
};

/** Loads every screen; returns once they all are. */
export function loadViews(): Promise<unknown> {
  return Promise.all(Object.values(views).map((load) => load()));
}

/** Before the app mounts: every screen when the lazy loading is off (the benchmark's
 * baseline, as one bundle was), nothing otherwise. */
export function viewsBeforeMount(): Promise<unknown> {
  return tuned("lazy-views") ? Promise.resolve() : loadViews();
}

/** After the first frame: the screens, in the background, when the browser is idle. */
export function prefetchViews(): void {
  const later =
    typeof requestIdleCallback === "function"
      ? (f: () => void) => requestIdleCallback(f, { timeout: 2000 })
      : (f: () => void) => setTimeout(f, 200);
  later(() => void loadViews().catch(() => undefined));
}
