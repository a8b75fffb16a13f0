/**
 * `pixazo-ltx batch` as a real process, killed with SIGKILL at random points (before, during and
 * after submits, during saves) and run again until done: after every kill the manifest tells the
 * truth, and at the end every line completed exactly once at the gateway and every file is byte
 * for byte the media. Ctrl-C (SIGINT) stops it cleanly with the command that resumes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BatchRecord, replay } from "../../src/batch/manifest.js";
import type { FakeGateway } from "../../src/testing/index.js";
import { bundledCli } from "../support/cli-bundle.js";
import { setup, TEST_KEY } from "../support/gateway.js";

/** Media big enough that a kill often lands in the middle of a save. */
const MEDIA = randomBytes(3 * 1024 * 1024);

const LINES = 16;

function start(cli: string, file: string, out: string, gateway: FakeGateway, extra: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [cli, "batch", file, "--out", out, "--concurrency", "4", "--poll-interval", "50ms", ...extra],
    {
      env: { ...process.env, PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url, PIXAZO_RUN_TIMES: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

/** The manifest's records, as a rerun reads them: a last line cut short by the kill is no record. */
async function recordsIn(path: string): Promise<BatchRecord[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BatchRecord);
}

const promptOf = (line: number) => `scene ${line}`;

/** What must hold whenever the process is dead: the manifest is true, the files are exact. */
async function checkTruth(gateway: FakeGateway, manifest: string, out: string): Promise<void> {
  const lines = replay(await recordsIn(manifest));
  const jobsByPrompt = new Map<string, string[]>();
  for (const job of gateway.jobs.values()) {
    const prompt = (job.input as { prompt: string }).prompt;
    jobsByPrompt.set(prompt, [...(jobsByPrompt.get(prompt) ?? []), job.requestId]);
  }
  for (let line = 1; line <= LINES; line++) {
    const state = lines.get(line);
    const jobs = jobsByPrompt.get(promptOf(line)) ?? [];
    // Never two jobs for one line.
    expect(jobs.length, `line ${line}`).toBeLessThanOrEqual(1);
    if (state?.requestId !== undefined) {
      // A recorded job is the line's job at the gateway.
      expect(jobs, `line ${line}`).toEqual([state.requestId]);
    } else if (jobs.length > 0) {
      // A job without a recorded id: only where the last record says a submit may have been sent.
      expect(["submitting", "uncertain"], `line ${line}`).toContain(state?.last);
    }
    for (const file of state?.files ?? []) expect((await readFile(file.path)).equals(MEDIA)).toBe(true);
  }
  // Every file under its final name is whole; only hidden partial files may be cut short.
  for (const name of await readdir(out).catch(() => [] as string[])) {
    if (name.startsWith(".") || name === "batch.jsonl") continue;
    expect((await readFile(join(out, name))).equals(MEDIA), name).toBe(true);
  }
}

/**
 * Resolves held lines as a person would: where the gateway has the line's job, its id is
 * appended to the manifest by hand; where it has none, the line is to be sent again.
 */
async function resolveHeld(gateway: FakeGateway, manifest: string): Promise<boolean> {
  const lines = replay(await recordsIn(manifest));
  let resubmit = false;
  for (const [line, state] of lines) {
    if (state.last !== "submitting" && state.last !== "uncertain") continue;
    const job = [...gateway.jobs.values()].find(
      (candidate) => (candidate.input as { prompt: string }).prompt === promptOf(line),
    );
    if (job) {
      const record = { line, state: "submitted", request_id: job.requestId, at: new Date().toISOString() };
      await appendFile(manifest, `${JSON.stringify(record)}\n`);
    } else resubmit = true;
  }
  return resubmit;
}

type KillPoint = "starting" | "submitting" | "submitted" | "completed";
const KILL_POINTS: readonly KillPoint[] = ["starting", "submitting", "submitted", "completed"];

/**
 * SIGKILLs `child` at `point`: a random moment of its start, or as soon as a new record of that
 * state (after the `seen` ones already there) appears in the manifest, read every few ms.
 */
function killWhen(child: ChildProcess, manifest: string, seen: number, point: KillPoint): { cancel(): void } {
  if (point === "starting") {
    const timer = setTimeout(() => child.kill("SIGKILL"), 50 + Math.random() * 150);
    return { cancel: () => clearTimeout(timer) };
  }
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const fresh = (await recordsIn(manifest)).slice(seen);
      if (fresh.some((record) => record.state === point)) {
        // A little later at random: the submit's request, the save's bytes are under way.
        setTimeout(() => child.kill("SIGKILL"), Math.random() * 30);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })();
  return {
    cancel: () => {
      stopped = true;
    },
  };
}

describe("pixazo-ltx batch, killed", () => {
  it("loses nothing and pays nothing twice when SIGKILLed at random points and rerun until done", async () => {
    const cli = await bundledCli();
    const { gateway } = await setup({}, { job: { durationMs: 600 }, media: MEDIA });
    const folder = await mkdtemp(join(tmpdir(), "pixazo-batch-kill-"));
    const file = join(folder, "jobs.jsonl");
    const out = join(folder, "out");
    const manifest = join(out, "batch.jsonl");
    const jobs = Array.from({ length: LINES }, (_, index) => ({
      model: "ltx-2-3-text-to-video",
      input: { prompt: promptOf(index + 1) },
    }));
    await writeFile(file, `${jobs.map((job) => JSON.stringify(job)).join("\n")}\n`);

    let kills = 0;
    let resubmitHeld = false;
    let last: { code: number | null; stderr: string } | undefined;
    for (let round = 0; round < 30; round++) {
      const child = start(cli, file, out, gateway, resubmitHeld ? ["--resubmit-held"] : []);
      const ended = exited(child);
      if (round < 8) {
        // Each of the first rounds is killed at one kind of point, a little at random: while the
        // process starts (before any submit), as a record of a submit about to be sent appears
        // (during submits), as an id is recorded (after a submit), as a job is recorded
        // completed (during its save). The later rounds run to the end.
        const trigger = KILL_POINTS[round % KILL_POINTS.length] as KillPoint;
        const seen = (await recordsIn(manifest)).length;
        const killer = killWhen(child, manifest, seen, trigger);
        last = await ended;
        killer.cancel();
        if (last.code === null) kills++;
      } else last = await ended;
      await checkTruth(gateway, manifest, out);
      if (last.code === 0) break;
      resubmitHeld = await resolveHeld(gateway, manifest);
    }
    expect(last?.code, last?.stderr).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(3);

    // Every line completed exactly once at the gateway, and saved byte for byte.
    const prompts = gateway.requestsOf("submit").map((request) => (request.body as { prompt: string }).prompt);
    expect(prompts.sort()).toEqual(jobs.map((job) => job.input.prompt).sort());
    const lines = replay(await recordsIn(manifest));
    for (let line = 1; line <= LINES; line++) {
      const state = lines.get(line);
      expect(state?.last).toBe("saved");
      expect((await readFile(join(out, `line-${line}.mp4`))).equals(MEDIA)).toBe(true);
    }
    // No partial file of a killed run is left behind.
    expect((await readdir(out)).filter((name) => name.endsWith(".part"))).toEqual([]);

    // A rerun of the finished batch sends nothing and exits 0.
    const requests = gateway.requests.length;
    expect((await exited(start(cli, file, out, gateway))).code).toBe(0);
    expect(gateway.requests.length).toBe(requests);
  }, 240_000);

  it("Ctrl-C stops submitting, prints the command that resumes, and the rerun finishes without sending twice", async () => {
    const cli = await bundledCli();
    const { gateway } = await setup({}, { job: { durationMs: 1_500 } });
    const folder = await mkdtemp(join(tmpdir(), "pixazo-batch-int-"));
    const file = join(folder, "jobs.jsonl");
    const out = join(folder, "out");
    await writeFile(
      file,
      `${Array.from({ length: 8 }, (_, index) => JSON.stringify({ model: "ltx-2-3-text-to-video", input: { prompt: promptOf(index + 1) } })).join("\n")}\n`,
    );
    const child = start(cli, file, out, gateway);
    const ended = exited(child);
    // Once the first jobs are submitted, Ctrl-C.
    while (gateway.jobs.size < 4) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    const interrupted = await ended;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain("interrupted: nothing more was sent");
    expect(interrupted.stderr).toContain(`resume with: pixazo-ltx batch ${file} --out ${out} --concurrency 4`);
    const sent = gateway.jobs.size;
    expect(sent).toBeLessThan(8);
    // Nothing half-written stands: no partial file, and every submitted job is recorded.
    expect((await readdir(out)).filter((name) => name.startsWith("."))).toEqual([]);
    const lines = replay(await recordsIn(join(out, "batch.jsonl")));
    expect([...lines.values()].filter((state) => state.requestId !== undefined)).toHaveLength(sent);

    const rerun = await exited(start(cli, file, out, gateway));
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(gateway.requestsOf("submit")).toHaveLength(8);
  }, 60_000);
});
