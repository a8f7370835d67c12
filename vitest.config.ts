import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real brokers, SQLite files and child processes; give them room on a
    // shared 2-core machine without turning slowness into failures.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
