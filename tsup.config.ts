import { relative, resolve } from "node:path";
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

/**
 * Imports of the given source modules come from the package's own built entry files instead of
 * a second copy (for the command-line tool: the client, the error classes, the test kit).
 */
function fromBuiltEntries(targets: Readonly<Record<string, string>>): NonNullable<Options["esbuildPlugins"]>[number] {
  return {
    name: "from-built-entries",
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const source = relative(process.cwd(), resolve(args.resolveDir, args.path)).replace(/\.js$/, ".ts");
        const target = targets[source];
        return target === undefined ? undefined : { path: target, external: true };
      });
    },
  };
}

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
    // The command-line tool: an ESM file with its shebang, minified (its errors reach users as
    // messages, never as stack traces), that runs on the package's own client, error classes and
    // test kit rather than copies of them (87 KB instead of 204 KB).
    entry: { cli: "src/cli/bin.ts" },
    minify: true,
    esbuildPlugins: [
      fromBuiltEntries({
        "src/client.ts": "./index.js",
        "src/errors/errors.ts": "./index.js",
        "src/testing/fake-gateway.ts": "./testing.js",
      }),
    ],
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: false,
  },
]);
