import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [preact()],
  // Library mode leaves process.env.NODE_ENV for a consumer's bundler; a script tag has none, and no `process`.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    lib: {
      entry: "src/loader.ts",
      formats: ["iife"],
      name: "BizBotWidget",
      fileName: () => "widget.js",
    },
    outDir: "dist",
  },
});
