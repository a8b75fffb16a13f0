/**
 * Scale bench: 10,000 concurrent jobs on one client against the fake gateway (run in its own
 * process), with jobs taking 20–60 s of wall time (JOB_MIN_MS, JOB_MAX_MS). Reports wall time against the ideal (when the
 * last job could have been known done: its submit plus its duration), peak sockets, peak RSS,
 * status requests per job, and the requests sent during a 3-second 429 storm.
 *
 *   npm run bench:scale            (JOBS=10000 by default; builds the package first)
 */
import { type ChildProcess, fork } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { table } from "./lib/report.js";

// The package as built (`npm run build`), as users run it: not the sources through a transpiler,
// whose own memory (about 55 MB here) would count in the figures.
const built = pathToFileURL(fileURLToPath(new URL("../dist/index.js", import.meta.url))).href;
const { Pixazo } = (await import(built)) as typeof import("../src/index.js");

const JOBS = Number(process.env.JOBS ?? 10_000);

interface Stats {
  submits: number;
  statusReads: number;
  peakConnections: number;
  totalConnections: number;
  idealEnd: number;
  stormRequests: number;
}

function startGateway(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL("./gateway-process.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve) => {
    child.once("message", (message: { url: string }) => resolve({ child, url: message.url }));
  });
}

function ask(child: ChildProcess): Promise<Stats> {
  return new Promise((resolve) => {
    child.once("message", (message: Stats) => resolve(message));
    child.send({ type: "stats" });
  });
}

async function run(label: string, storm: boolean): Promise<Record<string, string>> {
  const { child, url } = await startGateway();
  const client = new Pixazo({ apiKey: "bench", baseUrl: url });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  if (storm) {
    // Two seconds in, half of all requests get 429 with Retry-After: 1, for three seconds.
    setTimeout(() => child.send({ type: "storm", seconds: 1, rate: 0.5 }), 2_000);
    setTimeout(() => child.send({ type: "calm" }), 5_000);
  }
  const started = Date.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: JOBS }, () =>
      client.generate("ltx-2-3-text-to-video", { prompt: "bench" }, { timeoutMs: 120_000 }),
    ),
  );
  const wall = Date.now() - started;
  clearInterval(sampler);
  // Timers still armed once every job has ended: the client's own (the storm's have fired).
  const timersLeft = process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
  const stats = await ask(child);
  await client.close();
  child.send({ type: "close" });
  const failed = outcomes.filter((outcome) => outcome.status === "rejected").length;
  const ideal = stats.idealEnd - started;
  return {
    run: label,
    jobs: String(JOBS),
    failed: String(failed),
    "wall time": `${(wall / 1000).toFixed(1)} s`,
    "ideal (last job's end)": `${(ideal / 1000).toFixed(1)} s`,
    "wall / ideal": (wall / ideal).toFixed(2),
    "peak sockets": String(stats.peakConnections),
    "peak RSS": `${Math.round(peakRss / 1024 / 1024)} MB`,
    "status requests / job": (stats.statusReads / JOBS).toFixed(1),
    "timers left after the last job": String(timersLeft),
    "requests total": String(stats.submits + stats.statusReads),
    "requests during storm (3 s)": storm ? String(stats.stormRequests) : "",
  };
}

/** Both runs: calm, then under a 429 storm. */
export async function scale(): Promise<Record<string, string>[]> {
  return [await run("calm", false), await run("429 storm", true)];
}

// Run on its own (npm run bench:scale) as well as from run-all.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, default client options\n`);
  console.log(table(await scale()));
}
