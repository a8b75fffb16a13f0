/**
 * Question 9: a batch. `pixazo-ltx batch` (the built CLI, in a process of its own) runs 1,000
 * lines against the fake gateway (in another process), with jobs of 2–6 s of wall time (see
 * `POLLING` for the scale).
 *
 * - Wall time against the ideal: the same jobs, each started the instant a slot of the batch's
 *   concurrency frees and known done the instant it ends (its submit and polling free).
 * - Killed with SIGKILL once 40 % of the lines are saved, then rerun: lines lost (not saved at
 *   the end), lines submitted twice, lines held for a person.
 * - Peak RSS of the batch process (VmHWM).
 *
 *   npm run bench:batch           (LINES=1000, CONCURRENCY=100 by default; builds the package first)
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { guard, machine, table } from "./lib/report.js";

const LINES = Number(process.env.LINES ?? 1_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 100);
/*
 * Time at 1/30 scale, so that a run takes a minute: jobs of 2–6 s stand for the gateway's 1–3
 * minutes, and the polling settings are the defaults (2 s, up to 8 s) at the same scale, so each
 * read lags a job's end by the same share of its run time as it would for real.
 */
const JOB_MIN_MS = 2_000;
const JOB_MAX_MS = 6_000;
const POLLING = ["--poll-interval", "67ms", "--max-poll-interval", "267ms"];
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Job {
  requestId: string;
  prompt: string;
  durationMs: number;
}

function startGateway(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL("./gateway-process.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, JOBS: String(LINES), JOB_MIN_MS: String(JOB_MIN_MS), JOB_MAX_MS: String(JOB_MAX_MS) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve) =>
    child.once("message", (message: { url: string }) => resolve({ child, url: message.url })),
  );
}

function jobsOf(gateway: ChildProcess): Promise<Job[]> {
  return new Promise((resolve) => {
    gateway.once("message", (message: { jobs: Job[] }) => resolve(message.jobs));
    gateway.send({ type: "jobs" });
  });
}

/** When the last job could end: each started as soon as one of `slots` frees, in the order made. */
function idealMs(jobs: Job[], slots: number): number {
  const free = Array.from({ length: slots }, () => 0);
  for (const job of jobs) {
    const slot = free.indexOf(Math.min(...free));
    free[slot] = (free[slot] as number) + job.durationMs;
  }
  return Math.max(...free);
}

/** Runs the batch; kills it once `killAtSaved` lines are saved. Samples its peak RSS. */
async function runBatch(
  file: string,
  out: string,
  url: string,
  killAtSaved?: number,
): Promise<{ code: number | null; ms: number; peakRssMb: number }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [cli, "batch", file, "--out", out, "--concurrency", String(CONCURRENCY), ...POLLING],
    {
      env: { ...process.env, PIXAZO_API_KEY: "bench", PIXAZO_BASE_URL: url, PIXAZO_RUN_TIMES: "off" },
      stdio: ["ignore", "ignore", "ignore"],
    },
  );
  let peakKb = 0;
  const sampler = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    if (killAtSaved !== undefined) {
      const saved =
        (await readFile(join(out, "batch.jsonl"), "utf8").catch(() => "")).split('"state":"saved"').length - 1;
      if (saved >= killAtSaved) child.kill("SIGKILL");
    }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(sampler);
  return { code, ms: Date.now() - started, peakRssMb: Math.round(peakKb / 1024) };
}

/** The lines' state, read from the manifest: the last record of each line wins. */
async function lastStates(out: string): Promise<Map<number, string>> {
  const text = await readFile(join(out, "batch.jsonl"), "utf8");
  const states = new Map<number, string>();
  for (const line of text.split("\n").filter(Boolean)) {
    const record = JSON.parse(line) as { line: number; state: string };
    states.set(record.line, record.state);
  }
  return states;
}

async function batchFolder(): Promise<{ file: string; out: string }> {
  const folder = await mkdtemp(join(tmpdir(), "pixazo-bench-batch-"));
  const file = join(folder, "jobs.jsonl");
  const lines = Array.from({ length: LINES }, (_, index) =>
    JSON.stringify({ model: "ltx-2-3-text-to-video", input: { prompt: `line ${index + 1}` } }),
  );
  await writeFile(file, `${lines.join("\n")}\n`);
  return { file, out: join(folder, "out") };
}

export async function batch(): Promise<{ rows: Record<string, string>[]; verdict: string }> {
  const rows: Record<string, string>[] = [];

  // Straight through.
  let gateway = await startGateway();
  let folder = await batchFolder();
  const whole = await runBatch(folder.file, folder.out, gateway.url);
  const jobs = await jobsOf(gateway.child);
  gateway.child.send({ type: "close" });
  const ideal = idealMs(jobs, CONCURRENCY);
  const states = await lastStates(folder.out);
  const ratio = whole.ms / ideal;
  rows.push({
    run: "straight through",
    exit: String(whole.code),
    "wall time": `${(whole.ms / 1000).toFixed(1)} s`,
    ideal: `${(ideal / 1000).toFixed(1)} s`,
    "wall / ideal": ratio.toFixed(2),
    saved: String([...states.values()].filter((state) => state === "saved").length),
    "submitted twice": String(jobs.length - new Set(jobs.map((job) => job.prompt)).size),
    held: "0",
    "peak RSS": `${whole.peakRssMb} MB`,
  });

  // Killed at 40 %, then resumed; a held line is settled as a person would (its job is on the
  // gateway: its id is appended to the manifest).
  gateway = await startGateway();
  folder = await batchFolder();
  const killed = await runBatch(folder.file, folder.out, gateway.url, Math.round(LINES * 0.4));
  const afterKill = await lastStates(folder.out);
  const held = [...afterKill].filter(([, state]) => state === "submitting");
  const byPrompt = new Map((await jobsOf(gateway.child)).map((job) => [job.prompt, job.requestId]));
  for (const [line] of held) {
    const requestId = byPrompt.get(`line ${line}`);
    if (requestId)
      await appendFile(
        join(folder.out, "batch.jsonl"),
        `${JSON.stringify({ line, state: "submitted", request_id: requestId, at: new Date().toISOString() })}\n`,
      );
  }
  const resumed = await runBatch(folder.file, folder.out, gateway.url);
  const allJobs = await jobsOf(gateway.child);
  gateway.child.send({ type: "close" });
  const finalStates = await lastStates(folder.out);
  rows.push({
    run: "killed at 40 %, resumed",
    exit: `${killed.code ?? "SIGKILL"}, then ${resumed.code}`,
    "wall time": `${(killed.ms / 1000).toFixed(1)} s + ${(resumed.ms / 1000).toFixed(1)} s`,
    ideal: "",
    "wall / ideal": "",
    saved: String([...finalStates.values()].filter((state) => state === "saved").length),
    "submitted twice": String(allJobs.length - new Set(allJobs.map((job) => job.prompt)).size),
    held: String(held.length),
    "peak RSS": `${Math.max(killed.peakRssMb, resumed.peakRssMb)} MB`,
  });
  const lost = LINES - [...finalStates.values()].filter((state) => state === "saved").length;
  const twice = allJobs.length - new Set(allJobs.map((job) => job.prompt)).size;
  return {
    rows,
    verdict: [
      guard("wall / ideal", ratio, "≤ 1.10", ratio <= 1.1),
      guard("lines lost after the kill", lost, "0", lost === 0),
      guard("lines submitted twice", twice, "0", twice === 0),
    ].join(" "),
  };
}

// Run on its own (npm run bench:batch) as well as from run-all.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`${machine()}, ${LINES} lines, concurrency ${CONCURRENCY}, jobs of 2–6 s\n`);
  const { rows, verdict } = await batch();
  console.log(`${table(rows)}\n\n${verdict}`);
}
