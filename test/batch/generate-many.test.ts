import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkItems } from "../../src/batch/items.js";
import type { BatchManifest, BatchRecord } from "../../src/batch/manifest.js";
import { fileManifest } from "../../src/batch/manifest-file.js";
import type { BatchProgress, BatchResult } from "../../src/batch/run.js";
import { type BatchItem, type GenerateManyOptions, Pixazo, ValidationError } from "../../src/index.js";
import { documentedErrors, type FakeGateway, SAMPLE_VIDEO } from "../../src/testing/index.js";
import { setup } from "../support/gateway.js";

const items = (count: number, prefix = "scene"): BatchItem[] =>
  Array.from({ length: count }, (_, index) => ({
    model: "ltx-2-3-text-to-video",
    input: { prompt: `${prefix} ${index + 1}` },
  }));

async function run(client: Pixazo, batch: BatchItem[], options: GenerateManyOptions): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for await (const result of client.generateMany(batch, options)) results.push(result);
  return results.sort((a, b) => a.line - b.line);
}

const outcomes = (results: BatchResult[]) => results.map((result) => result.outcome);
const prompts = (gateway: FakeGateway) =>
  gateway.requestsOf("submit").map((request) => (request.body as { prompt: string }).prompt);
const records = async (path: string): Promise<BatchRecord[]> =>
  (await readFile(path, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as BatchRecord);

describe("client.generateMany", () => {
  it("saves every line byte for byte under its name, and a rerun of the finished batch sends nothing", async () => {
    const { gateway, client } = await setup();
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    const batch = items(5);
    batch[1] = { ...batch[1], name: "second" } as BatchItem;
    const results = await run(client, batch, { out, concurrency: 2 });
    expect(outcomes(results)).toEqual(["saved", "saved", "saved", "saved", "saved"]);
    expect(results[1]?.files).toEqual([{ path: join(out, "second.mp4"), bytes: SAMPLE_VIDEO.length }]);
    expect((await readdir(out)).sort()).toEqual(
      ["batch.jsonl", "line-1.mp4", "line-3.mp4", "line-4.mp4", "line-5.mp4", "second.mp4"].sort(),
    );
    for (const result of results) expect((await readFile(result.files[0]?.path ?? "")).equals(SAMPLE_VIDEO)).toBe(true);
    // The manifest: submitting, submitted, completed, saved for each line, in that order.
    const kept = await records(join(out, "batch.jsonl"));
    for (let line = 1; line <= 5; line++) {
      expect(kept.filter((record) => record.line === line).map((record) => record.state)).toEqual([
        "submitting",
        "submitted",
        "completed",
        "saved",
      ]);
    }
    const before = gateway.requests.length;
    const again = await run(client, batch, { out, concurrency: 2 });
    expect(outcomes(again)).toEqual(outcomes(results));
    expect(again.every((result) => result.earlier)).toBe(true);
    expect(gateway.requests.length).toBe(before);

    // A saved file deleted (or cut short) since: saved again from its job, nothing submitted.
    await rm(join(out, "second.mp4"));
    await writeFile(join(out, "line-3.mp4"), "cut");
    const repaired = await run(client, batch, { out });
    expect(repaired.filter((result) => !result.earlier).map((result) => result.line)).toEqual([2, 3]);
    expect((await readFile(join(out, "second.mp4"))).equals(SAMPLE_VIDEO)).toBe(true);
    expect((await readFile(join(out, "line-3.mp4"))).equals(SAMPLE_VIDEO)).toBe(true);
    expect(gateway.requestsOf("submit")).toHaveLength(5);
  });

  it("never has more jobs under way than its concurrency", async () => {
    const { gateway, client } = await setup();
    for (let index = 0; index < 12; index++) gateway.nextJob({ durationMs: 150 });
    let peak = 0;
    const onProgress = (progress: BatchProgress) => {
      peak = Math.max(peak, progress.running);
    };
    const results = await run(client, items(12), { concurrency: 3, onProgress });
    expect(outcomes(results).every((outcome) => outcome === "completed")).toBe(true);
    expect(peak).toBe(3);
    // At the gateway too: no submit before a slot is free.
    const jobs = [...gateway.jobs.values()].map((job) => job.createdAtMonotonicMs).sort((a, b) => a - b);
    for (let index = 3; index < jobs.length; index++) {
      expect((jobs[index] ?? 0) - (jobs[index - 3] ?? 0)).toBeGreaterThanOrEqual(140);
    }
  });

  it("checks every item and option before anything is sent", async () => {
    const { gateway, client } = await setup();
    const bad = [...items(2), { model: "ltx-2-3-text-to-video", input: { prompt: "x", duration: 7 } }] as BatchItem[];
    await expect(run(client, bad, {})).rejects.toThrow(ValidationError);
    await expect(run(client, items(2), { concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(run(client, items(2), { webhook: { url: "http://example.com/hook" } })).rejects.toThrow(
      ValidationError,
    );
    expect(gateway.requests).toHaveLength(0);
  });

  it("resumes from the manifest: a line with a job is waited on, never sent again; one never sent is sent", async () => {
    const { gateway, client } = await setup();
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    const batch = items(3);
    const first = await client.submit("ltx-2-3-text-to-video", { prompt: "scene 1" });
    const [one] = checkItems(batch);
    const at = new Date().toISOString();
    await writeFile(
      join(out, "batch.jsonl"),
      `${[
        { line: 1, state: "submitting", model: "ltx-2-3-text-to-video", fingerprint: one?.fingerprint, at },
        { line: 1, state: "submitted", request_id: first.request_id, at },
      ]
        .map((record) => JSON.stringify(record))
        .join("\n")}\n`,
    );
    const results = await run(client, batch, { out });
    expect(outcomes(results)).toEqual(["saved", "saved", "saved"]);
    expect(results[0]?.requestId).toBe(first.request_id);
    expect(prompts(gateway).sort()).toEqual(["scene 1", "scene 2", "scene 3"]);
  });

  it("holds a line whose submit may have reached the gateway, and sends it again only with resubmitHeld", async () => {
    const { gateway, client } = await setup();
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    // The gateway creates the job, then the connection drops before the reply.
    gateway.inject({ on: "submit", fault: { kind: "reset" }, afterProcessing: true });
    const results = await run(client, items(3), { out, concurrency: 1 });
    expect(outcomes(results)).toEqual(["held", "saved", "saved"]);
    expect(prompts(gateway).filter((prompt) => prompt === "scene 1")).toHaveLength(1);
    expect((await records(join(out, "batch.jsonl"))).filter((record) => record.line === 1).map((r) => r.state)).toEqual(
      ["submitting", "uncertain"],
    );
    // A rerun keeps holding it and sends nothing.
    const before = gateway.requests.length;
    expect(outcomes(await run(client, items(3), { out }))).toEqual(["held", "saved", "saved"]);
    expect(gateway.requests.length).toBe(before);
    // A person found no job for it (here: chose to pay again): resubmitHeld sends it.
    expect(outcomes(await run(client, items(3), { out, resubmitHeld: true }))).toEqual(["saved", "saved", "saved"]);
    expect(prompts(gateway).filter((prompt) => prompt === "scene 1")).toHaveLength(2);
  });

  it("records a failed job with the gateway's error, and never sends it again", async () => {
    const { gateway, client } = await setup();
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    gateway.nextJob({ outcome: "FAILED", error: "content policy" });
    const results = await run(client, items(2), { out, concurrency: 1 });
    expect(outcomes(results)).toEqual(["failed", "saved"]);
    expect(results[0]?.job?.status).toBe("FAILED");
    const failed = (await records(join(out, "batch.jsonl"))).find((record) => record.state === "failed");
    expect(failed).toMatchObject({ line: 1, status: "FAILED", error: "content policy" });
    const again = await run(client, items(2), { out });
    expect(outcomes(again)).toEqual(["failed", "saved"]);
    expect(prompts(gateway)).toHaveLength(2);
  });

  it("slows down on 429 and fails nothing", async () => {
    const { gateway, client } = await setup({ maxRetries: 1 });
    gateway.inject({
      on: "submit",
      times: 6,
      fault: {
        kind: "response",
        status: 429,
        headers: { "retry-after": "0" },
        body: { statusCode: 429, message: "Rate limit is exceeded." },
      },
    });
    const results = await run(client, items(4), { concurrency: 2 });
    expect(outcomes(results)).toEqual(["completed", "completed", "completed", "completed"]);
    expect(gateway.jobs.size).toBe(4);
  });

  it("stops sending on a refusal every submit would meet, reports the rest as pending, then throws it", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: documentedErrors.insufficientBalance, times: 100 });
    const results: BatchResult[] = [];
    let thrown: unknown;
    try {
      for await (const result of client.generateMany(items(6), { concurrency: 1 })) results.push(result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 402 });
    expect(outcomes(results.sort((a, b) => a.line - b.line))).toEqual([
      "not-sent",
      "pending",
      "pending",
      "pending",
      "pending",
      "pending",
    ]);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("an abort stops submitting; a submit under way finishes and its job is recorded, waits end unfinished", async () => {
    const { gateway, client } = await setup();
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    // The first two jobs outlast the abort by far; the rerun waits them out.
    for (let index = 0; index < 2; index++) gateway.nextJob({ durationMs: 1_500 });
    const controller = new AbortController();
    const results: BatchResult[] = [];
    for await (const result of client.generateMany(items(6), {
      out,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.change?.state === "submitted") controller.abort(new Error("stop"));
      },
    })) {
      results.push(result);
    }
    results.sort((a, b) => a.line - b.line);
    // Both slots had sent their submit when the first id came back: both jobs are recorded.
    expect(outcomes(results)).toEqual(["unfinished", "unfinished", "pending", "pending", "pending", "pending"]);
    expect(gateway.jobs.size).toBe(2);
    const kept = await records(join(out, "batch.jsonl"));
    expect(kept.filter((record) => record.state === "submitted")).toHaveLength(2);
    // The rerun waits on those two, sends the other four.
    const again = await run(client, items(6), { out });
    expect(outcomes(again)).toEqual(["saved", "saved", "saved", "saved", "saved", "saved"]);
    expect(gateway.requestsOf("submit")).toHaveLength(6);
  });

  it("a manifest that cannot be written stops the batch before the submit it was to record", async () => {
    const { gateway, client } = await setup();
    let appends = 0;
    const manifest: BatchManifest = {
      read: async () => [],
      append: async () => {
        appends++;
        if (appends === 5) throw new Error("disk full");
      },
    };
    const results: BatchResult[] = [];
    await expect(
      (async () => {
        for await (const result of client.generateMany(items(4), { manifest, concurrency: 1 })) results.push(result);
      })(),
    ).rejects.toThrow("disk full");
    // Line 1: submitting, submitted, completed (3); line 2: submitting (4) sent, submitted (5) failed.
    expect(gateway.requestsOf("submit")).toHaveLength(2);
    const byLine = Object.fromEntries(results.map((result) => [result.line, result.outcome]));
    expect(byLine).toEqual({ 1: "completed", 2: "unfinished", 3: "pending", 4: "pending" });
    expect(results.find((result) => result.line === 2)?.requestId).toBeDefined();
  });

  it("a save that fails is not-saved; the rerun saves it without a new job", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    gateway.cdn.inject({ kind: "status", status: 403 });
    const results = await run(client, items(1), { out });
    expect(outcomes(results)).toEqual(["not-saved"]);
    expect(await readdir(out)).toEqual(["batch.jsonl"]);
    const again = await run(client, items(1), { out });
    expect(outcomes(again)).toEqual(["saved"]);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("refuses a manifest made for other items, sending nothing", async () => {
    const { gateway, client } = await setup();
    const out = await mkdtemp(join(tmpdir(), "pixazo-batch-"));
    await run(client, items(2), { out });
    const before = gateway.requests.length;
    await expect(run(client, items(2, "other"), { out })).rejects.toThrow(
      /changed since the manifest recorded its submit/,
    );
    expect(gateway.requests.length).toBe(before);
  });

  it("without a key, throws the client's ValidationError naming PIXAZO_API_KEY before anything is sent", async () => {
    const { gateway } = await setup();
    const previous = process.env.PIXAZO_API_KEY;
    delete process.env.PIXAZO_API_KEY;
    try {
      const keyless = new Pixazo({ baseUrl: gateway.url });
      await expect(run(keyless, items(1), {})).rejects.toThrow(/PIXAZO_API_KEY/);
      await keyless.close();
    } finally {
      if (previous !== undefined) process.env.PIXAZO_API_KEY = previous;
    }
    expect(gateway.requests).toHaveLength(0);
  });
});

describe("the manifest file", () => {
  it("drops a last line cut short by a kill, truncating it away, and appends after it", async () => {
    const folder = await mkdtemp(join(tmpdir(), "pixazo-manifest-"));
    const path = join(folder, "batch.jsonl");
    const whole = { line: 1, state: "submitting", model: "m", fingerprint: "f", at: "t" };
    await writeFile(path, `${JSON.stringify(whole)}\n{"line":1,"state":"subm`);
    const manifest = await fileManifest(path);
    expect(await manifest.read()).toEqual([whole]);
    await manifest.append({ line: 1, state: "uncertain", error: "e", at: "t" });
    await manifest.close?.();
    expect((await readFile(path, "utf8")).split("\n")).toEqual([
      JSON.stringify(whole),
      JSON.stringify({ line: 1, state: "uncertain", error: "e", at: "t" }),
      "",
    ]);
  });

  it("refuses a whole line that is not a record, naming its number", async () => {
    const folder = await mkdtemp(join(tmpdir(), "pixazo-manifest-"));
    const path = join(folder, "batch.jsonl");
    for (const bad of ["not json", '{"line":0,"state":"saved"}', '{"line":1,"state":"submitted"}']) {
      await writeFile(path, `{"line":1,"state":"not-sent","error":"e","at":"t"}\n${bad}\n`);
      await expect(fileManifest(path)).rejects.toThrow(/line \(2\)/);
    }
  });

  it("has one writer at a time: a second opening is refused while the first is live, a dead writer's lock is taken over", async () => {
    const folder = await mkdtemp(join(tmpdir(), "pixazo-manifest-"));
    const path = join(folder, "batch.jsonl");
    const first = await fileManifest(path);
    await expect(fileManifest(path)).rejects.toThrow(`in use by another run of the batch (process ${process.pid})`);
    await first.close?.();
    expect(await readdir(folder)).toEqual(["batch.jsonl"]);
    // A writer that was killed left its lock: the next opening takes it over.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    await writeFile(join(folder, ".batch.jsonl.lock"), gone);
    const second = await fileManifest(path);
    expect(await readFile(join(folder, ".batch.jsonl.lock"), "utf8")).toBe(String(process.pid));
    await second.close?.();
  });

  it("creates its folder, one level at a time", async () => {
    const folder = await mkdtemp(join(tmpdir(), "pixazo-manifest-"));
    const manifest = await fileManifest(join(folder, "a", "b", "batch.jsonl"));
    await manifest.append({ line: 1, state: "not-sent", error: "e", at: "t" });
    await manifest.close?.();
    expect(await readFile(join(folder, "a", "b", "batch.jsonl"), "utf8")).toContain('"not-sent"');
  });
});
