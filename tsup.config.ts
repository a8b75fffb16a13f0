import { defineConfig, type Options } from "tsup";

const shared: Options = {
  // No source maps: the library's code is shipped unminified, one module after the other with
  // its source path in a comment, so a stack trace is read as it is. Maps were 72 % of the
  // package (5.1 MB unpacked, most of it zod's and the CLI's sources); without them it is 1.4 MB.
  sourcemap: false,
  treeshake: true,
  // Builtins keep their "node:" prefix: Bun, Deno, workerd and bundlers resolve them by it.
  removeNodeProtocol: false,
  // zod's used parts go into the build: Node spends about 65 ms loading zod's 250-odd files
  // from node_modules, against a few for the tree-shaken validators compiled in (README,
  // "Architecture notes"). zod stays a dependency: the published types are zod's.
  noExternal: ["zod"],
  // Which module format a build is, for the loaders of lazy parts (src/internal/build-format.ts).
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, PIXAZO_BUILD_FORMAT: JSON.stringify(format) };
  },
};

export default defineConfig([
  {
    ...shared,
    // The library and its test kit, for import and require alike. ESM output is split, so the
    // file downloads (node:fs, node:stream, node:zlib) sit in a chunk loaded on first download.
    entry: {
      index: "src/index.ts",
      webhooks: "src/webhooks/index.ts",
      schemas: "src/schemas.ts",
      testing: "src/testing/index.ts",
      redis: "src/redis/index.ts",
    },
    format: ["esm", "cjs"],
    // CommonJS is split too, so index.cjs and webhooks.cjs share one copy of the error classes
    // and `instanceof` holds across the two entry points.
    splitting: true,
    target: "node20",
    platform: "node",
    dts: true,
  },
  {
    ...shared,
    // The library for Fetch-only runtimes (package.json conditions "workerd", "worker",
    // "edge-light", "browser"): no undici, no node: builtin; the platform "browser" makes the
    // build fail should one creep in. `#node-only` resolves to its Fetch-runtime stand-in here
    // (package.json "imports", condition "pixazo-fetch-runtime").
    entry: { index: "src/index.ts", webhooks: "src/webhooks/index.ts", schemas: "src/schemas.ts" },
    outDir: "dist/fetch",
    format: ["esm"],
    target: "es2022",
    platform: "browser",
    esbuildOptions(options, context) {
      shared.esbuildOptions?.(options, context);
      options.conditions = ["pixazo-fetch-runtime"];
    },
  },
  {
    ...shared,
    // The command-line tool: one ESM file with its shebang, minified (278 KB → 181 KB): its
    // errors reach users as messages, never as stack traces.
    entry: { cli: "src/cli/bin.ts" },
    minify: true,
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: false,
  },
]);
