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

const target = document.getElementById("app");
if (target) {
  try {
    mount(App, { target, props: { backend: tauriBackend } });
  } catch (e) {
    errors.push(String((e as Error)?.stack ?? e));
  }
}
