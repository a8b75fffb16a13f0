import { defineConfig } from "tsup";

const shared = {
  target: "node20",
  platform: "node",
  sourcemap: true,
  splitting: false,
  treeshake: true,
  // Builtins keep their "node:" prefix: Bun, Deno, workerd and bundlers resolve them by it.
  removeNodeProtocol: false,
} as const;

export default defineConfig([
  {
    ...shared,
    // The library and its test kit, for import and require alike.
    entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    // The test kit's HTTP mocking stays an optional peer dependency, never bundled.
    external: ["msw"],
  },
  {
    ...shared,
    // The command-line tool: one ESM file with its shebang.
    entry: { cli: "src/cli/bin.ts" },
    format: ["esm"],
  },
]);
