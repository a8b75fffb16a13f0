/**
 * Question 4: cold start and size. The time to import each client in a fresh Node process, and
 * the minified + gzipped size of a bundle of a typical use (one generation call), each built the
 * same way with esbuild, dependencies included.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { median } from "./lib/report.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 9);

/** What each client's users write for one video (or image) generation. */
const CLIENTS: { name: string; specifier: string; typical: string }[] = [
  {
    name: "pixazo-ltx",
    specifier: join(here, "../dist/index.js"),
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

async function bundleBytes(client: (typeof CLIENTS)[number], dir: string): Promise<{ min: number; gzip: number }> {
  const entry = join(dir, `${client.name.replace(/[@/]/g, "_")}.mjs`);
  writeFileSync(entry, client.typical.replace("SPEC", client.specifier));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    absWorkingDir: here,
    nodePaths: [join(here, "node_modules")],
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.length, gzip: gzipSync(code).length };
}

export async function coldStart(): Promise<Record<string, string>[]> {
  const dir = mkdtempSync(join(tmpdir(), "pixazo-bench-"));
  const rows: { name: string; importMs: number; min: number; gzip: number }[] = [];
  for (const client of CLIENTS) {
    importMs(client.specifier); // warm the disk cache
    const times = Array.from({ length: RUNS }, () => importMs(client.specifier));
    const size = await bundleBytes(client, dir);
    rows.push({ name: client.name, importMs: median(times), ...size });
  }
  rmSync(dir, { recursive: true });
  const ours = rows[0] as (typeof rows)[number];
  return rows.map((row) => ({
    client: row.name,
    "import (ms)": row.importMs.toFixed(1),
    "import vs pixazo-ltx": (row.importMs / ours.importMs).toFixed(2),
    "bundle min": `${(row.min / 1024).toFixed(0)} KiB`,
    "bundle min+gzip": `${(row.gzip / 1024).toFixed(1)} KiB`,
    "gzip vs pixazo-ltx": (row.gzip / ours.gzip).toFixed(2),
  }));
}
