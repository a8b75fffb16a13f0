import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
let bundled: Promise<string> | undefined;

/**
 * The CLI from the sources as one bundled file, built once per test file: a process of it starts
 * in a fraction of the time (and CPU) of one through tsx, for tests that start it many times.
 * Built as `dist/cli.js` is: one ES module, dependencies included.
 */
export function bundledCli(): Promise<string> {
  bundled ??= (async () => {
    const file = join(await mkdtemp(join(tmpdir(), "pixazo-cli-bundle-")), "cli.mjs");
    await build({
      entryPoints: [join(root, "src/cli/bin.ts")],
      outfile: file,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "error",
      // undici is CommonJS and requires Node's modules: give the bundle a `require`.
      banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    });
    return file;
  })();
  return bundled;
}
