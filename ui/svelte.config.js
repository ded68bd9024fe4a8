import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to CSS files, not injected <style> tags, so the CSP can forbid inline styles.
    css: "external",
  },
};
