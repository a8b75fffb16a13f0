// Release checks on what `npm pack` would publish: only what users need is in the tarball,
// hovering a field in a consumer of the tarball shows its documentation,
// publint finds nothing to fix, "Are the types wrong?" resolves every entry point for Node's ESM
// and CJS, bundlers and TypeScript's node10 resolution (the default of "module": "commonjs"),
// `npm pack` builds the package itself, and the package stays under its size bound.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = (command, args) => execFileSync(command, args, { stdio: ["ignore", "pipe", "inherit"] }).toString();

const [pack] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]));
const allowed = [/^dist\//, /^docs\/[\w-]+\.md$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/];
const stray = pack.files.map((file) => file.path).filter((path) => !allowed.some((pattern) => pattern.test(path)));
if (stray.length > 0) throw new Error(`npm pack would publish files users do not need:\n${stray.join("\n")}`);
for (const needed of [
  "dist/index.js",
  "dist/index.cjs",
  "dist/index.d.ts",
  "dist/index.d.cts",
  "dist/testing.js",
  "dist/testing.cjs",
  "dist/cli.js",
  "dist/fetch/index.js",
  "dist/webhooks.js",
  "dist/webhooks.cjs",
  "dist/schemas.js",
  "dist/schemas.cjs",
  "dist/fetch/webhooks.js",
  "dist/redis.js",
  "dist/redis.cjs",
]) {
  if (!pack.files.some((file) => file.path === needed))
    throw new Error(`npm pack misses ${needed}: run the build first`);
}
console.log(
  `npm pack: ${pack.files.length} files, ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
);
const MAX_UNPACKED_BYTES = 1.5 * 1024 * 1024;
if (pack.unpackedSize > MAX_UNPACKED_BYTES) {
  throw new Error(`the package unpacks to ${pack.unpackedSize} bytes, over its bound of ${MAX_UNPACKED_BYTES}`);
}
// A clean clone has no dist/: `npm pack` and `npm publish` must build it, or the tarball ships no code.
const { scripts } = JSON.parse(readFileSync("package.json", "utf8"));
if (scripts.prepack !== "npm run build") throw new Error('package.json needs "prepack": "npm run build"');

process.stdout.write(run("npx", ["publint", "--strict"]));
const scratch = mkdtempSync(join(tmpdir(), "pixazo-pack-"));
try {
  // Packed as built (this script runs after the build), then checked in every resolution mode.
  const [tarball] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch]));
  process.stdout.write(run("npx", ["attw", join(scratch, tarball.filename), "--format", "table-flipped"]));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
// The published types carry the fields' documentation, as a consumer's editor shows it.
execFileSync(process.execPath, ["scripts/check-type-docs.mjs"], { stdio: "inherit" });
