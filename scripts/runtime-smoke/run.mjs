// The runtime smoke of CI, on the built package:
// - the webhook + download round trip under Node, Bun and Deno (both installed from the npm
//   registry into .cache/runtimes on first use), the receiver's handler handed to Bun.serve and
//   Deno.serve as it is;
// - esbuild bundles of a small app, ESM and CJS, platform node, minified, run under Node;
// - dist imports every builtin with its "node:" prefix;
// - the package's Fetch-runtime build (main and webhooks entries) bundles for platform "neutral"
//   and runs a generate and webhook deliveries with Web globals only, and in a Next.js-style edge
//   sandbox whose process.emitWarning throws;
// - a Worker using the package, bundled as wrangler bundles it, runs on workerd (miniflare from
//   the npm registry) without nodejs_compat: a generate whose wait ends on its own webhook, and a
//   bad delivery whose answer and log line hold nothing of the Worker's env.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = join(root, "scripts/runtime-smoke");
const cache = join(root, ".cache/runtimes");
const RUNTIMES = { bun: "bun@1.4", deno: "deno@2.9", miniflare: "miniflare@4" };

function run(command, args) {
  // A script that does not end by itself within two minutes (a handle left open) fails here.
  const output = execFileSync(command, args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 120_000,
  });
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
// The build for Fetch runtimes names neither undici nor any node: module, so a bundler for
// workerd or a browser never tries to resolve them.
const fetchBuild = readFileSync(join(root, "dist/fetch/index.js"), "utf8");
const nodeOnly = fetchBuild.match(/(?:from |require\(|import\()["'](node:[^"']+|undici)["']/g);
if (nodeOnly) throw new Error(`dist/fetch/index.js reaches Node-only modules: ${[...new Set(nodeOnly)].join(", ")}`);
console.log("dist/fetch: no undici, no node: module");
// Importing the Node build loads no HTTP client, file, stream or compression module: they come
// with the first request or download.
const loadedAtImport = execFileSync(
  process.execPath,
  [
    "--input-type=module",
    "-e",
    `const before = new Set(process.moduleLoadList);
     await import(${JSON.stringify(join(root, "dist/index.js"))});
     const { createRequire } = await import("node:module");
     const required = Object.keys(createRequire(import.meta.url).cache);
     console.log(JSON.stringify([...process.moduleLoadList.filter((name) => !before.has(name)), ...required]));`,
  ],
  { encoding: "utf8" },
);
const heavy = JSON.parse(loadedAtImport).filter((name) =>
  /NativeModule (zlib|crypto|stream|http|https|net|tls)$|undici/.test(name),
);
if (heavy.length > 0) throw new Error(`importing dist/index.js loads ${heavy.join(", ")}`);
// zod's used validators are compiled into dist: Node would spend tens of milliseconds loading
// its hundreds of files from node_modules.
for (const file of readdirSync(join(root, "dist")).filter((name) => name.endsWith(".js"))) {
  if (/from ["']zod/.test(readFileSync(join(root, "dist", file), "utf8"))) throw new Error(`dist/${file} imports zod`);
}
console.log(
  "dist/index.js: importing loads neither undici, zod's files, nor node:zlib, node:crypto, node:stream, node:net",
);

// 2. Runtimes.
if (!["bun", "deno", "miniflare"].every((name) => existsSync(join(cache, "node_modules", name, "package.json")))) {
  mkdirSync(cache, { recursive: true });
  execFileSync("npm", ["install", "--prefix", cache, "--no-audit", "--no-fund", ...Object.values(RUNTIMES)], {
    stdio: "inherit",
  });
}
console.log("round trip (webhook through the runtime's own server, download, resume):");
run(process.execPath, [join(here, "round-trip.mjs")]);
run(join(cache, "node_modules/.bin/bun"), [join(here, "round-trip.mjs")]);
run(join(cache, "node_modules/.bin/deno"), ["run", "--allow-all", join(here, "round-trip.mjs")]);
// deno test with the test kit ends by itself (a timeout here means it hung).
execFileSync(
  join(cache, "node_modules/.bin/deno"),
  ["test", "--allow-all", "--no-check", join(here, "deno-test-kit.test.mjs")],
  {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 120_000,
  },
);
console.log('  {"runtime":"deno test","ok":true,"exitedByItself":true}');

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
    logLevel: "warning",
  });
  run(process.execPath, [outfile]);
}

// 4. The package's Fetch-runtime build, as a Fetch-only runtime loads it: bundled for "neutral"
// (esbuild fails on any node: import), run in a context holding Web globals only (no process,
// Buffer, setImmediate or require): a generate through the context's fetch with the main entry,
// and deliveries through fetchHandler with the main entry and with "pixazo-ltx/webhooks" alone.
console.log("Fetch-runtime build, neutral bundles, Web globals only:");
const web = {
  fetch,
  Request,
  Response,
  Headers,
  ReadableStream,
  TextEncoder,
  TextDecoder,
  URL,
  AbortController,
  AbortSignal,
  DOMException,
  setTimeout,
  clearTimeout,
  queueMicrotask,
  performance,
  console,
};

/** The entry bundled as an IIFE and evaluated in a fresh context of Web globals; returns its exports. */
async function loadWebOnly(entry) {
  const bundle = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "neutral",
    format: "iife",
    globalName: "exported",
    mainFields: ["module", "main"],
    minify: true,
    write: false,
    logLevel: "warning",
  });
  const context = createContext({ ...web });
  runInContext(bundle.outputFiles[0].text, context);
  return { exported: context.exported, kib: Math.round(bundle.outputFiles[0].contents.byteLength / 1024) };
}

/** Two deliveries to a receiver: a status (200, heard) and a body that is not JSON (400). */
async function deliver(WebhookReceiver) {
  const events = [];
  const receiver = new WebhookReceiver({ onEvent: (event) => events.push(event), onError: () => {} });
  const handler = receiver.fetchHandler();
  const post = (body) => handler(new Request("http://127.0.0.1/hooks", { method: "POST", body }));
  const accepted = await post(JSON.stringify({ request_id: "ltx-2-3-text-to-video_1", status: "COMPLETED" }));
  const refused = await post("{not json");
  await new Promise((resolve) => setTimeout(resolve, 20));
  const ok = accepted.status === 200 && refused.status === 400 && events[0]?.status === "COMPLETED";
  if (!ok) throw new Error(`answered ${accepted.status} / ${refused.status}, events ${JSON.stringify(events)}`);
}

{
  const library = await loadWebOnly("dist/fetch/index.js");
  const { startFakeGateway } = await import(join(root, "dist/testing.js"));
  const gateway = await startFakeGateway();
  try {
    const client = new library.exported.Pixazo({ apiKey: "runtime-smoke-key", baseUrl: gateway.url });
    const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A lighthouse in a storm" });
    if (job.status !== "COMPLETED") throw new Error(`neutral build: the job ended ${job.status}`);
    // Batches are left out of this build: generateMany says so, before anything is sent.
    const sent = gateway.requests.length;
    let refused;
    try {
      for await (const _ of client.generateMany([{ model: "ltx-2-3-text-to-video", input: { prompt: "x" } }])) break;
    } catch (error) {
      refused = error;
    }
    if (!(refused instanceof library.exported.ValidationError) || !refused.message.includes("generateMany")) {
      throw new Error(`neutral build: generateMany was not refused (${refused})`);
    }
    if (gateway.requests.length !== sent) throw new Error("neutral build: generateMany sent a request");
    await deliver(library.exported.WebhookReceiver);
    console.log(
      `  {"ok":true,"entry":"pixazo-ltx","bundleKiB":${library.kib},"job":"${job.status}","answers":[200,400]}`,
    );
  } finally {
    await gateway.close();
  }
  const webhooks = await loadWebOnly("dist/fetch/webhooks.js");
  await deliver(webhooks.exported.WebhookReceiver);
  console.log(`  {"ok":true,"entry":"pixazo-ltx/webhooks","bundleKiB":${webhooks.kib},"answers":[200,400]}`);
}

// 4b. Next.js's edge runtime: an EdgeVM (Vercel's edge-runtime, what Next's sandbox is built on)
// given the process object Next's sandbox gives, whose Node functions (emitWarning among them)
// throw "A Node.js API is used ... not supported in the Edge Runtime". A bad delivery, and one
// whose verification fails, must be answered 400 and 200 and reported through console.warn,
// with no unhandled rejection and nothing of the body in the line.
{
  const { EdgeVM } = await import("@edge-runtime/vm");
  const bundle = await build({
    entryPoints: [join(root, "dist/fetch/webhooks.js")],
    bundle: true,
    platform: "neutral",
    format: "iife",
    globalName: "exported",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "warning",
  });
  const lines = [];
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(String(reason));
  process.on("unhandledRejection", onUnhandled);
  const vm = new EdgeVM({
    extend: (context) => {
      const nextProcess = { env: {} };
      for (const key of Object.keys(process)) {
        if (key === "env" || typeof process[key] !== "function") continue;
        Object.defineProperty(nextProcess, key, {
          get: () => () => {
            throw new Error(`A Node.js API is used (process.${key}) which is not supported in the Edge Runtime.`);
          },
        });
      }
      context.process = nextProcess;
      context.console = { ...console, warn: (line) => lines.push(String(line)) };
      return context;
    },
  });
  vm.evaluate(bundle.outputFiles[0].text);
  const answers = await vm.evaluate(`(async () => {
    const verify = { status: async () => { throw new Error("Request not found"); } };
    const handler = new exported.WebhookReceiver({ verify }).fetchHandler();
    const post = (body) => handler(new Request("http://127.0.0.1/hooks", { method: "POST", body }), { params: {} });
    const bad = await post('{"secret":"do-not-echo"');
    const unknown = await post(JSON.stringify({ request_id: "unknown-job", status: "COMPLETED" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return [bad.status, unknown.status];
  })()`);
  process.off("unhandledRejection", onUnhandled);
  const ok =
    answers[0] === 400 &&
    answers[1] === 200 &&
    unhandled.length === 0 &&
    lines.length === 2 &&
    !lines.join("").includes("do-not-echo");
  console.log(
    `  ${JSON.stringify({ ok, runtime: "Next.js-style edge sandbox", answers, warnings: lines, unhandled })}`,
  );
  if (!ok) throw new Error("the edge sandbox run did not go as expected (see the line above)");
}

// 5. A Worker on workerd. The package is linked into the cache's node_modules, as an install
// would place it, and the Worker bundled with wrangler's resolution conditions: nothing aliased.
console.log("Cloudflare Worker on workerd (miniflare), no nodejs_compat:");
const linked = join(cache, "node_modules/pixazo-ltx");
rmSync(linked, { recursive: true, force: true });
symlinkSync(root, linked, "dir");
const worker = await build({
  entryPoints: [join(here, "worker.mjs")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  nodePaths: [join(cache, "node_modules")],
  // The repository's tsconfig maps "pixazo-ltx" to src/ for its own examples; an app has no such map.
  tsconfigRaw: "{}",
  minify: true,
  write: false,
  logLevel: "warning",
});
const { Miniflare } = await import(join(cache, "node_modules/miniflare/dist/src/index.js"));
const { startFakeGateway } = await import(join(root, "dist/testing.js"));
const gateway = await startFakeGateway({ media: new Uint8Array(256 * 1024).fill(7) });
let workerLog = "";
const miniflare = new Miniflare({
  modules: true,
  script: worker.outputFiles[0].text,
  compatibilityDate: "2025-06-01",
  bindings: { PIXAZO_API_KEY: "runtime-smoke-key", GATEWAY_URL: gateway.url },
  host: "127.0.0.1",
  port: 0,
  // The Worker's log, kept to check that the default error line echoes nothing of the env.
  handleRuntimeStdio: (stdout, stderr) => {
    for (const stream of [stdout, stderr]) stream.on("data", (chunk) => (workerLog += chunk));
  },
});
try {
  const base = await miniflare.ready;
  const reply = await fetch(new URL("/run", base));
  const result = await reply.json();
  const statusReads = gateway.requestsOf("status").length;
  // A bad delivery: 400 in fixed words; the Worker's env (its key among it) appears nowhere.
  const refused = await fetch(new URL("/hooks", base), { method: "POST", body: '{"request_id": 1' });
  const refusal = await refused.text();
  result.refused = refused.status;
  await new Promise((resolve) => setTimeout(resolve, 200));
  result.echoed = /runtime-smoke-key|PIXAZO_API_KEY|GATEWAY_URL/.test(refusal + workerLog);
  result.logged = workerLog.includes("Webhook body is not JSON");
  const ok =
    result.status === "COMPLETED" &&
    result.mediaBytes === 256 * 1024 &&
    statusReads === 1 &&
    gateway.deliveries[0]?.response === 200 &&
    result.download.startsWith("ValidationError") &&
    result.process === "undefined" &&
    result.refused === 400 &&
    !result.echoed &&
    result.logged;
  console.log(
    `  ${JSON.stringify({ ok, runtime: "workerd", bundleKiB: Math.round(worker.outputFiles[0].contents.byteLength / 1024), statusReads, ...result })}`,
  );
  if (!ok) throw new Error("the Worker's run did not go as expected (see the line above)");
} finally {
  await miniflare.dispose();
  await gateway.close();
}
