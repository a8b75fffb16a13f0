import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // Examples import the package by name, as users do; here the name maps to the source.
    alias: {
      "pixazo-ltx/testing": fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      "pixazo-ltx/webhooks": fileURLToPath(new URL("./src/webhooks/index.ts", import.meta.url)),
      "pixazo-ltx/redis": fileURLToPath(new URL("./src/redis/index.ts", import.meta.url)),
      "pixazo-ltx": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
    },
    // Type tests (*.test-d.ts) run in the type checker as part of the run: a wrong type fails it.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 15_000,
    // Fault tests open real loopback servers; a leaked handle should fail loudly, not hang CI.
    teardownTimeout: 5_000,
  },
});
