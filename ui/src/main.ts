import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { tauriBackend } from "./lib/backend";

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

const target = document.getElementById("app");
if (target) {
  try {
    mount(App, { target, props: { backend: tauriBackend } });
  } catch (e) {
    errors.push(String((e as Error)?.stack ?? e));
  }
}
