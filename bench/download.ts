/**
 * Question 5: downloads. A large file from a loopback server through client.download versus
 * curl writing to disk: throughput ratio, and the SDK's peak RSS as the file grows. Both sides
 * are timed from the request to the last byte on disk, without their process start (curl's own
 * `time_total`); the SDK's first call in a process also loads undici, so each SDK process makes
 * a 1 MiB download first and its time is reported on its own.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { guard, median } from "./lib/report.js";

const RUNS = Number(process.env.RUNS ?? 3);
const SIZES_MB = (process.env.SIZES_MB ?? "64,256,1024").split(",").map(Number);
const here = fileURLToPath(new URL(".", import.meta.url));

export async function download(): Promise<Record<string, string>[]> {
  const server = fork(join(here, "lib/file-server.mjs"));
  const port = await new Promise<number>((resolve) => server.once("message", (m: { port: number }) => resolve(m.port)));
  const dir = mkdtempSync(join(tmpdir(), "pixazo-download-bench-"));
  const rows: Record<string, string>[] = [];
  for (const mb of SIZES_MB) {
    const url = `http://127.0.0.1:${port}/file.mp4?mb=${mb}`;
    const sdk: { firstCallSeconds: number; coldSeconds: number; warmSeconds: number; maxRssKiB: number }[] = [];
    const curl: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const target = join(dir, "sdk.mp4");
      sdk.push(
        JSON.parse(execFileSync(process.execPath, [join(here, "lib/download-once.mjs"), url, target]).toString()),
      );
      const curlTarget = join(dir, "curl.mp4");
      const seconds = Number(execFileSync("curl", ["-s", "-o", curlTarget, "-w", "%{time_total}", url]).toString());
      if (statSync(curlTarget).size !== mb * 1024 * 1024) throw new Error("short curl download");
      curl.push(seconds);
      rmSync(curlTarget);
    }
    const curlSeconds = median(curl);
    const cold = median(sdk.map((r) => r.coldSeconds));
    const warm = median(sdk.map((r) => r.warmSeconds));
    // The guard reads the largest file: on the smaller ones a run lasts a fraction of a second,
    // and curl's own figure moves by a fifth from run to run.
    if (mb === Math.max(...SIZES_MB)) {
      console.log(
        guard(`${mb} MiB, later files against curl`, curlSeconds / warm, "≥ 0.90", curlSeconds / warm >= 0.9),
      );
    }
    rows.push({
      file: `${mb} MiB`,
      "curl MiB/s": (mb / curlSeconds).toFixed(0),
      "pixazo-ltx MiB/s, first large file / later": `${(mb / cold).toFixed(0)} / ${(mb / warm).toFixed(0)}`,
      "vs curl, first / later": `${(curlSeconds / cold).toFixed(2)} / ${(curlSeconds / warm).toFixed(2)}`,
      "pixazo-ltx peak RSS": `${Math.round(median(sdk.map((r) => r.maxRssKiB)) / 1024)} MiB`,
      "first call in a process (1 MiB)": `${Math.round(median(sdk.map((r) => r.firstCallSeconds)) * 1000)} ms`,
    });
  }
  rmSync(dir, { recursive: true });
  server.send("close");
  return rows;
}
