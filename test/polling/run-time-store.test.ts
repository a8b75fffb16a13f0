import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { type CompletionEstimate, Pixazo, type RunTimeStore, ValidationError } from "../../src/index.js";
import { parseRunTimes, serialiseRunTimes } from "../../src/polling/run-time-store.js";
import type { FakeGateway } from "../../src/testing/fake-gateway.js";
import { setup, TEST_KEY } from "../support/gateway.js";

/**
 * Runs `count` jobs on a new client of `store`, then one more that runs long enough to be seen
 * running, and returns the first estimate that one gets.
 */
async function runJobs(gateway: FakeGateway, store: string | RunTimeStore, count: number) {
  const client = new Pixazo({
    apiKey: TEST_KEY,
    baseUrl: gateway.url,
    pollIntervalMs: 10,
    maxPollIntervalMs: 100,
    runTimeStore: store,
  });
  await Promise.all(Array.from({ length: count }, () => client.generate("ltx-2-3-text-to-video", { prompt: "x" })));
  const estimates: (CompletionEstimate | undefined)[] = [];
  gateway.nextJob({ durationMs: 1_500 });
  await client.generate(
    "ltx-2-3-text-to-video",
    { prompt: "x" },
    {
      onStatus: (_, { estimate }) => void estimates.push(estimate),
    },
  );
  await client.close();
  return estimates[0];
}

describe("runTimeStore", () => {
  it("a file: a new client (a new process) starts with what the last one learned, written atomically", async () => {
    const { gateway } = await setup({}, { job: { durationMs: 300 } });
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "cache", "run-times.json");

    const cold = await runJobs(gateway, file, 3);
    expect(cold?.basedOnJobs).toBe(3);
    expect(parseRunTimes(await readFile(file, "utf8")).problem).toBeUndefined();
    expect(await readdir(join(dir, "cache"))).toEqual(["run-times.json"]);

    // A second client's very first job: learned already, four from the first client (its three and its last).
    const warm = await runJobs(gateway, file, 0);
    expect(warm?.basedOnJobs).toBe(4);
    expect(warm?.remainingMs).toBeLessThan(2_000);
  });

  it("a corrupt or foreign file is ignored with one warning, and rewritten as jobs end", async () => {
    const { gateway } = await setup({}, { job: { durationMs: 50 } });
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "run-times.json");
    const warnings = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      for (const content of [
        "{not json",
        JSON.stringify({ version: 9, models: {} }),
        JSON.stringify({ version: 1, models: { m: { durationsMs: [-1], logRates: [] } } }),
      ]) {
        await writeFile(file, content);
        warnings.mockClear();
        const estimate = await runJobs(gateway, file, 0);
        expect(estimate?.basedOnJobs).toBe(0);
        expect(warnings).toHaveBeenCalledTimes(1);
        expect(String(warnings.mock.calls[0]?.[0])).toContain("stored run times were ignored");
        expect(parseRunTimes(await readFile(file, "utf8")).problem).toBeUndefined();
      }
    } finally {
      warnings.mockRestore();
    }
  });

  it("a store object: loaded once, saved as jobs end, flushed by close(); bounded in size", async () => {
    const { gateway } = await setup({}, { job: { durationMs: 20 } });
    let text: string | undefined;
    let loads = 0;
    const store: RunTimeStore = {
      load: () => {
        loads += 1;
        return text;
      },
      save: async (next) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        text = next;
      },
    };
    await runJobs(gateway, store, 40);
    expect(loads).toBe(1);
    const stored = parseRunTimes(text ?? "");
    if (stored.problem !== undefined) throw new Error(stored.problem);
    // Forty-one jobs, the last 32 kept.
    expect(stored.snapshot["ltx-2-3-text-to-video"]?.logRates).toHaveLength(32);
    expect(serialiseRunTimes(stored.snapshot).length).toBeLessThan(4_000);
  });

  it("is refused when it is neither a path nor a store, before anything is sent", () => {
    for (const runTimeStore of ["", 42, { load: () => undefined }]) {
      expect(() => new Pixazo({ apiKey: TEST_KEY, runTimeStore: runTimeStore as never })).toThrow(ValidationError);
    }
  });
});

describe("a store that never answers", () => {
  it("is given up on after two seconds with a warning: the wait goes on without it", async () => {
    const { gateway } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
    const warnings = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const hung: RunTimeStore = { load: () => new Promise(() => {}), save: () => {} };
      const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, pollIntervalMs: 10, runTimeStore: hung });
      const job = await client.generate("ltx-2-3-text-to-video", { prompt: "x" });
      expect(job.status).toBe("COMPLETED");
      expect(String(warnings.mock.calls[0]?.[0])).toContain("no answer within 2000 ms");
      await client.close();
    } finally {
      warnings.mockRestore();
    }
  });
});
