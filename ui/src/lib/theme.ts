// The window's palette: "system" follows the OS (prefers-color-scheme), "light" and "dark"
// force one (app.css reads the data-theme attribute of <html>).
import type { Theme } from "./bindings";

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
}
