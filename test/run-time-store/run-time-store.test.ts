import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { type CompletionEstimate, Pixazo, type RunTimeStore, ValidationError } from "../../src/index.js";
import { parseRunTimes, serialiseRunTimes } from "../../src/run-time-store/format.js";
import type { FakeGateway } from "../../src/testing/fake-gateway.js";
import { setup, TEST_KEY } from "../support/gateway.js";

const MODEL = "ltx-2-3-text-to-video";

/**
 * Runs jobs of `teach` durations (ms) at once on a new client of `store`, then one of `lastMs`,
 * and returns when that one was first read (ms after its submit) and the estimate it then got.
 */
async function runJobs(gateway: FakeGateway, store: string | RunTimeStore, teach: number[], lastMs = 2_500) {
  const client = new Pixazo({
    apiKey: TEST_KEY,
    baseUrl: gateway.url,
    pollIntervalMs: 10,
    maxPollIntervalMs: 100,
    runTimeStore: store,
  });
  await Promise.all(
    teach.map((durationMs) => {
      gateway.nextJob({ durationMs });
      return client.generate(MODEL, { prompt: "x" });
    }),
  );
  const estimates: (CompletionEstimate | undefined)[] = [];
  let submittedAt = 0;
  let firstReadMs = -1;
  gateway.nextJob({ durationMs: lastMs });
  await client.generate(
    MODEL,
    { prompt: "x" },
    {
      onSubmit: () => {
        submittedAt = performance.now();
      },
      onStatus: (_, { estimate }) => {
        if (firstReadMs < 0) firstReadMs = performance.now() - submittedAt;
        estimates.push(estimate);
      },
    },
  );
  await client.close();
  return { estimate: estimates[0], firstReadMs };
}

/** The completed run times stored for the model in `file`. */
async function storedRunTimes(file: string): Promise<number> {
  const stored = parseRunTimes(await readFile(file, "utf8"));
  if (stored.problem !== undefined) throw new Error(stored.problem);
  return stored.snapshot[MODEL]?.completed.length ?? 0;
}

/** Runs `body` with process warnings captured; `warnings()` lists them so far. */
async function withWarnings(body: (warnings: () => string[]) => Promise<void>): Promise<void> {
  const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  try {
    await body(() => spy.mock.calls.map(([warning]) => String(warning)));
  } finally {
    spy.mockRestore();
  }
}

describe("runTimeStore", () => {
  it("a file: a new client (a new process) starts with what the last one learned, written atomically", async () => {
    const { gateway } = await setup();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "cache", "run-times.json");

    const cold = await runJobs(gateway, file, [1_100, 1_600, 2_100]);
    expect(cold.estimate?.basedOnJobs).toBe(3);
    expect(await storedRunTimes(file)).toBe(4);
    expect(await readdir(join(dir, "cache"))).toEqual(["run-times.json"]);

    // A second client's very first job: no read before the fastest stored run time, and an estimate.
    const warm = await runJobs(gateway, file, []);
    expect(warm.firstReadMs).toBeGreaterThanOrEqual(1_000);
    expect(warm.estimate?.basedOnJobs).toBe(4);
  });

  it("a file two processes share keeps the run times of both: a save merges what the other saved", async () => {
    const { gateway } = await setup();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "run-times.json");
    const clients = [1, 2].map(
      () => new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, pollIntervalMs: 10, runTimeStore: file }),
    );
    const run = async (client: Pixazo, durations: number[]) => {
      await Promise.all(
        durations.map((durationMs) => {
          gateway.nextJob({ durationMs });
          return client.generate(MODEL, { prompt: "x" });
        }),
      );
    };
    // Both load the (missing) file first; then each learns three jobs and saves.
    await Promise.all(clients.map((client) => run(client, [20])));
    await run(clients[0] as Pixazo, [1_000, 1_050, 1_100]);
    await (clients[0] as Pixazo).close();
    await run(clients[1] as Pixazo, [1_000, 1_050, 1_100]);
    await (clients[1] as Pixazo).close();

    expect(await storedRunTimes(file)).toBe(6);
  });

  it("a corrupt, foreign or out-of-range file costs one warning, and is rewritten as jobs end", async () => {
    const { gateway } = await setup();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "run-times.json");
    const outOfRange = {
      version: 2,
      models: {
        [MODEL]: {
          completed: [
            [1, 0.2],
            [2, 1e308],
            [3, "9"],
            [1e308, 30],
            [4, 40],
          ],
          failed: [],
        },
      },
    };
    const cases: [string, string][] = [
      ["{not json", "stored run times were ignored (not JSON)"],
      [JSON.stringify({ version: 1, models: {} }), "stored run times were ignored (not format version 2)"],
      [JSON.stringify(outOfRange), "4 stored run times out of range were ignored"],
    ];
    await withWarnings(async (warnings) => {
      for (const [content, warning] of cases) {
        await writeFile(file, content);
        const before = warnings().length;
        const { estimate } = await runJobs(gateway, file, [], 50);
        expect(estimate).toBeUndefined();
        expect(warnings().slice(before)).toEqual([expect.stringContaining(warning)]);
        expect(parseRunTimes(await readFile(file, "utf8")).problem).toBeUndefined();
      }
    });
    // The one value in range was kept.
    expect(await storedRunTimes(file)).toBe(1);
  });

  it("a FIFO at the path is never opened for a blocking read nor written over: one warning, no wait", async () => {
    const { gateway } = await setup();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "run-times.json");
    execFileSync("mkfifo", [file]);
    await withWarnings(async (warnings) => {
      const { firstReadMs } = await runJobs(gateway, file, [], 50);
      expect(firstReadMs).toBeLessThan(1_000);
      // One warning, though both the load and the save were refused.
      expect(warnings()).toEqual([expect.stringContaining("could not be read (the path is not a regular file)")]);
    });
    expect((await stat(file)).isFIFO()).toBe(true);
  });

  it("a file over the size bound is judged by its size alone, never read whole, and left as it is", async () => {
    const { gateway } = await setup();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-runtimes-"));
    const file = join(dir, "run-times.json");
    await writeFile(file, "");
    await truncate(file, 400 * 1024 * 1024);
    await withWarnings(async (warnings) => {
      await runJobs(gateway, file, [], 50);
      expect(warnings()).toEqual([expect.stringContaining("could not be read (larger than 262144 bytes)")]);
    });
    expect((await stat(file)).size).toBe(400 * 1024 * 1024);
  });

  it("a store object: loaded once, merged and saved as jobs end, flushed by close(); bounded in size", async () => {
    const { gateway } = await setup();
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
    await runJobs(gateway, store, Array(40).fill(1_000), 1_000);
    // The first load, then one before each save, to merge what another process saved.
    expect(loads).toBeGreaterThan(1);
    const stored = parseRunTimes(text ?? "");
    if (stored.problem !== undefined) throw new Error(stored.problem);
    // Forty-one jobs, the last 32 kept.
    expect(stored.snapshot[MODEL]?.completed).toHaveLength(32);
    expect(serialiseRunTimes(stored.snapshot).length).toBeLessThan(2_000);
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
    await withWarnings(async (warnings) => {
      const hung: RunTimeStore = { load: () => new Promise(() => {}), save: () => {} };
      const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, pollIntervalMs: 10, runTimeStore: hung });
      const job = await client.generate(MODEL, { prompt: "x" });
      expect(job.status).toBe("COMPLETED");
      expect(warnings()[0]).toContain("no answer within 2000 ms");
      await client.close();
    });
  });
});
