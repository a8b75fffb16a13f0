import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 15_000,
    // Fault tests open real loopback servers; a leaked handle should fail loudly, not hang CI.
    teardownTimeout: 5_000,
  },
});
