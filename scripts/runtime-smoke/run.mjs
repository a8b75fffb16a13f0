// The runtime smoke of CI, on the built package:
// - the webhook + download round trip under Node, Bun and Deno (both installed from the npm
//   registry into .cache/runtimes on first use);
// - esbuild bundles of a small app, ESM and CJS, platform node, minified, run under Node;
// - dist imports every builtin with its "node:" prefix;
// - the webhook receiver's code bundles for platform "neutral" and runs with Web globals only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = join(root, "scripts/runtime-smoke");
const cache = join(root, ".cache/runtimes");
const RUNTIMES = { bun: "bun@1.4", deno: "deno@2.9" };

function run(command, args) {
  const output = execFileSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const line = output.trim().split("\n").at(-1) ?? "";
  if (!JSON.parse(line).ok) throw new Error(`${command} ${args.join(" ")}: ${line}`);
  console.log(`  ${line}`);
}

// 1. Bare builtins: a browser, neutral or edge build resolves "node:fs", not "fs".
for (const file of ["index.js", "index.cjs", "testing.js", "cli.js"]) {
  const text = readFileSync(join(root, "dist", file), "utf8");
  const bare = text.match(
    /(?:from |require\(|import\()["'](fs|fs\/promises|path|crypto|events|stream|stream\/promises|zlib|http|https|net|os|url|util|child_process)["']/g,
  );
  if (bare) throw new Error(`dist/${file} imports builtins without "node:": ${[...new Set(bare)].join(", ")}`);
}
console.log("dist: every builtin imported with node:");

// 2. Runtimes.
if (!existsSync(join(cache, "node_modules/.bin/bun")) || !existsSync(join(cache, "node_modules/.bin/deno"))) {
  mkdirSync(cache, { recursive: true });
  execFileSync("npm", ["install", "--prefix", cache, "--no-audit", "--no-fund", ...Object.values(RUNTIMES)], {
    stdio: "inherit",
  });
}
console.log("round trip (webhook through the runtime's own server, download, resume):");
run(process.execPath, [join(here, "round-trip.mjs")]);
run(join(cache, "node_modules/.bin/bun"), [join(here, "round-trip.mjs")]);
run(join(cache, "node_modules/.bin/deno"), ["run", "--allow-all", join(here, "round-trip.mjs")]);

// 3. Bundles.
console.log("esbuild bundles (platform node, minified):");
for (const format of ["esm", "cjs"]) {
  const outfile = join(cache, `bundled-app.${format === "esm" ? "mjs" : "cjs"}`);
  await build({
    entryPoints: [join(here, "bundled-app.mjs")],
    bundle: true,
    platform: "node",
    format,
    minify: true,
    outfile,
    external: ["msw", "msw/*"],
    logLevel: "warning",
  });
  run(process.execPath, [outfile]);
}

// 4. The webhook receiver alone, as a Fetch-only runtime would load it: bundled for "neutral"
// (esbuild fails on any node: import), run in a context holding Web globals only: no process,
// Buffer, setImmediate or require.
console.log("webhook receiver, neutral bundle, Web globals only:");
const neutral = await build({
  entryPoints: [join(root, "src/webhooks/index.ts")],
  bundle: true,
  platform: "neutral",
  format: "iife",
  globalName: "PixazoWebhooks",
  mainFields: ["module", "main"],
  minify: true,
  write: false,
  logLevel: "warning",
});
const web = {
  Request,
  Response,
  Headers,
  ReadableStream,
  TextEncoder,
  TextDecoder,
  URL,
  AbortController,
  setTimeout,
  clearTimeout,
  queueMicrotask,
  performance,
  console,
};
const context = createContext({ ...web });
runInContext(neutral.outputFiles[0].text, context);
const events = [];
const receiver = new context.PixazoWebhooks.WebhookReceiver({
  onEvent: (event) => events.push(event),
  onError: () => {},
});
const handler = receiver.fetchHandler();
const post = (body) => handler(new Request("http://127.0.0.1/hooks", { method: "POST", body }));
const accepted = await post(JSON.stringify({ request_id: "ltx-2-3-text-to-video_1", status: "COMPLETED" }));
const refused = await post("{not json");
await new Promise((resolve) => setTimeout(resolve, 20));
if (accepted.status !== 200 || refused.status !== 400 || events[0]?.status !== "COMPLETED") {
  throw new Error(
    `neutral receiver: answered ${accepted.status} / ${refused.status}, events ${JSON.stringify(events)}`,
  );
}
console.log(
  `  {"ok":true,"bundleKiB":${Math.round(neutral.outputFiles[0].contents.byteLength / 1024)},"answers":[200,400]}`,
);
