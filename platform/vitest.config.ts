import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Test files share one database when DATABASE_URL is set; running them one at a time keeps
    // "nothing was written" assertions exact and the 2-core machine unsaturated.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  },
});
