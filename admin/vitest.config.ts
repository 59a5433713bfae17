import { defineConfig } from "vitest/config";

// Separate from vite.config.ts on purpose: the React Router plugin wants to own the
// dev server and build, and must not be loaded for plain unit tests.
export default defineConfig({
  test: {
    include: ["app/**/*.test.ts"],
    environment: "node",
  },
});
