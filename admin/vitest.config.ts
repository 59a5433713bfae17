import { defineConfig } from "vitest/config";

// Separate from vite.config.ts on purpose: the React Router plugin wants to own the
// dev server and build, and must not be loaded for plain unit tests.
export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    // One file at a time: each browser test file starts its own platform, portal and Chromium.
    fileParallelism: false,
    hookTimeout: 120_000,
    testTimeout: 120_000,
  },
});
