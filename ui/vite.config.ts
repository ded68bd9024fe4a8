import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// The UI is embedded by Tauri from ui/dist; no dev server is needed to run the app.
export default defineConfig({
  // svelteTesting: under Vitest only, Svelte's browser build (not its server one, which
  // cannot mount) and a DOM cleaned up after each test.
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
    // floor.html: the start benchmark's empty page (the engine floor, src/bench/floor.ts).
    rollupOptions: {
      input: { main: "index.html", floor: "floor.html" },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    // Component tests ask for a DOM themselves (`// @vitest-environment happy-dom`);
    // the others run in plain Node.
    setupFiles: ["src/test/setup.ts"],
  },
});
