/**
 * Question 4: cold start and size. The time to import each client in a fresh Node process, and
 * the minified + gzipped size of a bundle of a typical use (one generation call), each built the
 * same way with esbuild, dependencies included: once for Node, once for a Fetch runtime as
 * wrangler bundles a Cloudflare Worker (conditions "workerd", "worker", "browser"; node: modules
 * left to the runtime, as its nodejs_compat flag provides them).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";
import { median } from "./lib/report.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 9);

/** What each client's users write for one video (or image) generation. */
const CLIENTS: { name: string; specifier: string; fetchSpecifier?: string; typical: string }[] = [
  {
    name: "pixazo-ltx",
    specifier: join(here, "../dist/index.js"),
    // What the package's "workerd" / "worker" / "browser" export conditions resolve to.
    fetchSpecifier: join(here, "../dist/fetch/index.js"),
    typical: `import { Pixazo } from "SPEC";
const client = new Pixazo({ apiKey: "k" });
export const run = () => client.ltx23.textToVideo({ prompt: "a fox" });`,
  },
  {
    name: "@fal-ai/client",
    specifier: "@fal-ai/client",
    typical: `import { fal } from "SPEC";
export const run = () => fal.subscribe("fal-ai/ltx-video", { input: { prompt: "a fox" } });`,
  },
  {
    name: "replicate",
    specifier: "replicate",
    typical: `import Replicate from "SPEC";
const replicate = new Replicate({ auth: "k" });
export const run = () => replicate.run("lightricks/ltx-video", { input: { prompt: "a fox" } });`,
  },
  {
    name: "@runwayml/sdk",
    specifier: "@runwayml/sdk",
    typical: `import RunwayML from "SPEC";
const client = new RunwayML({ apiKey: "k" });
export const run = () => client.imageToVideo.create({ model: "gen4_turbo", promptImage: "https://x/y.png", ratio: "1280:720" }).waitForTaskOutput();`,
  },
  {
    name: "openai",
    specifier: "openai",
    typical: `import OpenAI from "SPEC";
const client = new OpenAI({ apiKey: "k" });
export const run = () => client.videos.create({ model: "sora-2", prompt: "a fox" });`,
  },
];

/** Milliseconds to import `specifier` in a fresh process (measured inside it, without Node's own start). */
function importMs(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: here }).toString().trim());
}

type Runtime = "node" | "fetch";

/** The bundle's size, or `undefined` when the client does not bundle for that runtime. */
async function bundleBytes(
  client: (typeof CLIENTS)[number],
  dir: string,
  runtime: Runtime,
): Promise<{ min: number; gzip: number } | undefined> {
  const entry = join(dir, `${client.name.replace(/[@/]/g, "_")}-${runtime}.mjs`);
  const specifier = runtime === "fetch" ? (client.fetchSpecifier ?? client.specifier) : client.specifier;
  writeFileSync(entry, client.typical.replace("SPEC", specifier));
  const platform: BuildOptions =
    runtime === "node"
      ? { platform: "node", target: "node20" }
      : {
          platform: "neutral",
          target: "es2022",
          conditions: ["workerd", "worker", "browser"],
          mainFields: ["browser", "module", "main"],
          external: ["node:*"],
        };
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      ...platform,
      write: false,
      absWorkingDir: here,
      nodePaths: [join(here, "node_modules")],
      logLevel: "silent",
    });
    const code = result.outputFiles?.[0]?.contents ?? new Uint8Array();
    return { min: code.length, gzip: gzipSync(code).length };
  } catch {
    return undefined;
  }
}

const kib = (bytes: number | undefined, digits: number) =>
  bytes === undefined ? "does not build" : `${(bytes / 1024).toFixed(digits)} KiB`;

export async function coldStart(): Promise<Record<string, string>[]> {
  const dir = mkdtempSync(join(tmpdir(), "pixazo-bench-"));
  const rows: {
    name: string;
    importMs: number;
    node: { min: number; gzip: number } | undefined;
    fetch: { min: number; gzip: number } | undefined;
  }[] = [];
  for (const client of CLIENTS) {
    importMs(client.specifier); // warm the disk cache
    const times = Array.from({ length: RUNS }, () => importMs(client.specifier));
    const node = await bundleBytes(client, dir, "node");
    const fetch = await bundleBytes(client, dir, "fetch");
    rows.push({ name: client.name, importMs: median(times), node, fetch });
  }
  rmSync(dir, { recursive: true });
  const ours = rows[0] as (typeof rows)[number];
  return rows.map((row) => ({
    client: row.name,
    "import (ms)": row.importMs.toFixed(1),
    "import vs pixazo-ltx": (row.importMs / ours.importMs).toFixed(2),
    "Node bundle min": kib(row.node?.min, 0),
    "Node bundle min+gzip": kib(row.node?.gzip, 1),
    "Fetch-runtime bundle min": kib(row.fetch?.min, 0),
    "Fetch-runtime bundle min+gzip": kib(row.fetch?.gzip, 1),
    "Fetch gzip vs pixazo-ltx": row.fetch && ours.fetch ? (row.fetch.gzip / ours.fetch.gzip).toFixed(2) : "—",
  }));
}
