import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Tests that open no socket, start no process and wait on no real clock: the fast loop, run on
 * every edit (`npm run test:unit`). Everything else runs against real servers, processes and
 * Redis (`--project integration`); `npm test` runs both.
 */
const UNIT = [
  "test/architecture.test.ts",
  "test/batch/items.test.ts",
  "test/download/file-names.test.ts",
  "test/gateway/schemas.test.ts",
  "test/models/types.test-d.ts",
  "test/options.test.ts",
  "test/polling/deadline.test.ts",
  "test/polling/schedule.test.ts",
  "test/version.test.ts",
  "test/warn.test.ts",
];

export default defineConfig({
  test: {
    // Examples import the package by name, as users do; here the name maps to the source.
    alias: {
      "pixazo-ltx/testing": fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      "pixazo-ltx/webhooks": fileURLToPath(new URL("./src/webhooks/index.ts", import.meta.url)),
      "pixazo-ltx/schemas": fileURLToPath(new URL("./src/schemas.ts", import.meta.url)),
      "pixazo-ltx/redis": fileURLToPath(new URL("./src/redis/index.ts", import.meta.url)),
      "pixazo-ltx": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
    },
    testTimeout: 15_000,
    // Four files at a time on any machine: the integration tests mostly wait on sockets, child
    // processes and timers, not on the CPU, and vitest's default (one fewer than the cores) runs
    // them one by one on a two-core machine (4.6 minutes there, against under 2 at four).
    maxWorkers: 4,
    // Fault tests open real loopback servers; a leaked handle should fail loudly, not hang CI.
    teardownTimeout: 5_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: UNIT.filter((file) => file.endsWith(".test.ts")),
          // Type tests (*.test-d.ts) run in the type checker as part of the run: a wrong type fails it.
          typecheck: {
            enabled: true,
            include: UNIT.filter((file) => file.endsWith(".test-d.ts")),
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
          exclude: UNIT,
        },
      },
    ],
  },
});
