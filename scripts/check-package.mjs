// Release checks on what `npm pack` would publish: only what users need is in the tarball,
// hovering a field in a consumer of the tarball shows its documentation,
// publint finds nothing to fix, and "Are the types wrong?" resolves every entry point for Node's
// ESM and CJS (the node10 resolution is out of scope: engines require Node 20.19+).
import { execFileSync } from "node:child_process";

const run = (command, args) => execFileSync(command, args, { stdio: ["ignore", "pipe", "inherit"] }).toString();

const [pack] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]));
const allowed = [/^dist\//, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/];
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
  "dist/fetch/webhooks.js",
  "dist/redis.js",
  "dist/redis.cjs",
]) {
  if (!pack.files.some((file) => file.path === needed))
    throw new Error(`npm pack misses ${needed}: run the build first`);
}
console.log(`npm pack: ${pack.files.length} files, ${(pack.size / 1024).toFixed(0)} KiB packed`);

process.stdout.write(run("npx", ["publint", "--strict"]));
process.stdout.write(run("npx", ["attw", "--pack", ".", "--profile", "node16", "--format", "table-flipped"]));
// The published types carry the fields' documentation, as a consumer's editor shows it.
execFileSync(process.execPath, ["scripts/check-type-docs.mjs"], { stdio: "inherit" });
