// Two builds, one config: `vite build --mode app` writes the panel app (dist/widget-app.<hash>.js) and
// dist/manifest.json, emptying dist first; `vite build --mode loader` then adds the loader (dist/widget.js).
// `npm run build` runs both. Both are IIFEs without a name: neither adds a global besides window.BizBot.
/// <reference types="vitest/config" />
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

/** dist/manifest.json: the platform serves the loader as /widget.js and the app under its hashed name. */
const manifest = (): Plugin => ({
  name: "bizbot-widget-manifest",
  generateBundle(_, bundle) {
    const app = Object.values(bundle).find((file) => file.type === "chunk" && file.isEntry);
    if (!app) this.error("the app build produced no entry chunk");
    this.emitFile({ type: "asset", fileName: "manifest.json", source: `${JSON.stringify({ loader: "widget.js", app: app.fileName }, null, 2)}\n` });
  },
});

export default defineConfig(({ mode }) => {
  const loader = mode === "loader";
  return {
    plugins: loader ? [] : [preact(), manifest()],
    // Library mode leaves process.env.NODE_ENV for a consumer's bundler; a script tag has none, and no `process`.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      lib: {
        entry: loader ? "src/loader/main.ts" : "src/app/main.tsx",
        formats: ["iife"],
        // Required by Vite for IIFE output, and unused: an entry without exports assigns nothing to it.
        name: "BizBotWidget",
        fileName: () => (loader ? "widget.js" : "widget-app.[hash].js"),
      },
      outDir: "dist",
      emptyOutDir: !loader,
      target: "es2022",
      minify: "oxc",
      reportCompressedSize: false,
    },
    test: {
      // One test file at a time: each browser test file starts its own platform and Chromium, and side by side they
      // compete for the CPU while chat.browser.test.ts counts the page's long tasks.
      fileParallelism: false,
    },
  };
});
