// The page's entry: mounts the App on the Tauri backend (or, with ?bench=N, on fixtures
// for the benchmarks), and keeps the errors it could not handle for diagnostics.
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { tauriBackend, type Backend } from "./lib/backend";
import { mark, print } from "./lib/marks";

// When the page's load started, and when its code starts running.
print("navigation-start", performance.timeOrigin);
mark("script-start");

// Errors the page could not handle, kept for diagnostics (and read by the end-to-end tests).
const errors: string[] = [];
(window as unknown as { __econfianceErrors: string[] }).__econfianceErrors = errors;
window.addEventListener("error", (e) => errors.push(String(e.error?.stack ?? e.message)));
window.addEventListener("unhandledrejection", (e) =>
  errors.push(String(e.reason?.stack ?? e.reason)),
);

// Under the POSIX locales (LANG=C.UTF-8), WebKit reports `navigator.language` as "C",
// which is not a language tag: libraries that hand it to Intl (uPlot does, when it loads)
// throw. Give them the document's language instead.
try {
  Intl.getCanonicalLocales(navigator.language);
} catch {
  Object.defineProperty(navigator, "language", { value: document.documentElement.lang || "fr" });
}

function start(backend: Backend) {
  const target = document.getElementById("app");
  if (!target) return;
  try {
    mount(App, { target, props: { backend } });
    mark("app-mounted");
  } catch (e) {
    errors.push(String((e as Error)?.stack ?? e));
  }
}

// The benchmark mode (index.html?bench=N, see src/bench/): fixture data instead of the app's
// backend, loaded only then.
const params = new URLSearchParams(location.search);
const bench = Number(params.get("bench"));
if (bench > 0) {
  void Promise.all([import("./bench/fixtureBackend"), import("./bench/run")]).then(
    ([{ fixtureBackend }, { runBenchmark }]) => {
      const backend = fixtureBackend(bench);
      start(backend);
      void runBenchmark(params, () => backend.allServed());
    },
  );
} else {
  start(tauriBackend);
}
