import { describe, expect, it } from "vitest";
import { GenerationFailedError, type JobStatus } from "../../src/index.js";
import { DURATION_SAMPLES_PER_MODEL, MIN_DURATION_SAMPLES, RunTimes } from "../../src/polling/run-times.js";
import { nextPoll } from "../../src/polling/schedule.js";
import { rejectionOf, setup } from "../support/gateway.js";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");
const MODEL = "ltx-2-3-text-to-video";

/** A terminal status whose gateway timestamps say it ran `runMs` from `startedAt`. */
function ended(requestId: string, startedAt: number, runMs: number | undefined): JobStatus {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    request_id: requestId,
    status: "COMPLETED",
    model_id: MODEL,
    error: null,
    output: { media_url: ["https://cdn.example/v.mp4"], media_type: "video/mp4" },
    created_at: iso(startedAt),
    updated_at: runMs === undefined ? undefined : iso(startedAt + runMs),
    completed_at: runMs === undefined ? null : iso(startedAt + runMs),
  };
}

/** Submits and ends `count` jobs of `model`, each seen running until `runMs` and ended then. */
function learn(durations: RunTimes, count: number, runMs: number, model = MODEL, prefix = "job"): void {
  for (let index = 0; index < count; index++) {
    const id = `${model}_${prefix}-${index}`;
    durations.started(id, model, T0);
    durations.ended(ended(id, T0, runMs), T0 + runMs - 1_000, T0 + runMs + 2_000);
  }
}

describe("RunTimes", () => {
  it("has no quiet period until enough jobs of the model have ended", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES - 1, 40_000);
    durations.started("next", MODEL, T0 + 100_000);

    expect(durations.quietUntil("next")).toBeUndefined();
  });

  it("quiets a job until the earliest run time of its model's recent jobs", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000);
    durations.started("fast", MODEL, T0);
    durations.ended(ended("fast", T0, 25_000), T0 + 24_000, T0 + 30_000);
    durations.started("next", MODEL, T0 + 100_000);

    expect(durations.quietUntil("next")).toBe(T0 + 100_000 + 25_000);
  });

  it("learns nothing for a job it did not see submitted", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000);

    expect(durations.quietUntil("submitted-elsewhere")).toBeUndefined();
    durations.ended(ended("submitted-elsewhere", T0, 1_000), undefined, T0 + 1_000);
    durations.started("next", MODEL, T0);
    expect(durations.quietUntil("next")).toBe(T0 + 40_000);
  });

  it("keeps models apart", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000, "ltx-2-3-image-to-video");
    durations.started("text", MODEL, T0);

    expect(durations.quietUntil("text")).toBeUndefined();
  });

  it("trusts gateway timestamps only inside what the client saw", () => {
    const durations = new RunTimes();
    // completed_at five hours late (a server clock in another zone): the client saw it end by 32 s.
    for (let index = 0; index < MIN_DURATION_SAMPLES; index++) {
      durations.started(`late-${index}`, MODEL, T0);
      durations.ended(ended(`late-${index}`, T0, 5 * 3_600_000), T0 + 30_000, T0 + 32_000);
    }
    durations.started("a", MODEL, T0);
    expect(durations.quietUntil("a")).toBe(T0 + 32_000);

    // completed_at before the last read that found the job running: that read wins.
    const early = new RunTimes();
    for (let index = 0; index < MIN_DURATION_SAMPLES; index++) {
      early.started(`early-${index}`, MODEL, T0);
      early.ended(ended(`early-${index}`, T0, 1_000), T0 + 30_000, T0 + 32_000);
    }
    early.started("b", MODEL, T0);
    expect(early.quietUntil("b")).toBe(T0 + 30_000);
  });

  it("falls back to the last running read when the gateway sends no timestamps", () => {
    const durations = new RunTimes();
    for (let index = 0; index < MIN_DURATION_SAMPLES; index++) {
      durations.started(`bare-${index}`, MODEL, T0);
      durations.ended(ended(`bare-${index}`, T0, undefined), T0 + 18_000, T0 + 26_000);
    }
    durations.started("c", MODEL, T0);

    expect(durations.quietUntil("c")).toBe(T0 + 18_000);
  });

  it("shortens the quiet period after a job that ended sooner (a quick failure counts)", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000);
    durations.started("failed", MODEL, T0);
    durations.ended({ ...ended("failed", T0, 2_000), status: "ERROR", output: null }, undefined, T0 + 2_500);
    durations.started("next", MODEL, T0);

    expect(durations.quietUntil("next")).toBe(T0 + 2_000);
  });

  it("remembers only the latest jobs of a model, so an old fast job stops counting", () => {
    const durations = new RunTimes();
    learn(durations, 1, 5_000, MODEL, "old");
    learn(durations, DURATION_SAMPLES_PER_MODEL - 1, 40_000, MODEL, "recent");
    durations.started("d", MODEL, T0);
    expect(durations.quietUntil("d")).toBe(T0 + 5_000);

    learn(durations, 1, 45_000, MODEL, "newest");
    durations.started("e", MODEL, T0);
    expect(durations.quietUntil("e")).toBe(T0 + 40_000);
  });

  it("bounds the submissions it remembers and drops each once its job has ended", () => {
    const durations = new RunTimes();
    for (let index = 0; index < 25_000; index++) durations.started(`s-${index}`, MODEL, T0);
    expect(durations.tracked).toBeLessThanOrEqual(10_000);
    expect(durations.tracked).toBeGreaterThanOrEqual(9_000);
    // The oldest were forgotten (its end changes nothing), the newest is kept.
    const full = durations.tracked;
    durations.ended(ended("s-0", T0, 1_000), undefined, T0 + 1_000);
    expect(durations.tracked).toBe(full);
    durations.ended(ended("s-24999", T0, 1_000), undefined, T0 + 1_000);
    expect(durations.tracked).toBe(full - 1);
  });
});

describe("nextPoll", () => {
  const intervals = { pollIntervalMs: 2_000, maxPollIntervalMs: 8_000 };

  it("keeps the plain schedule when nothing is learned", () => {
    expect(nextPoll({ pollIndex: 0, now: T0 }, intervals, () => 0.5)).toEqual({ delayMs: 1_000, nextIndex: 1 });
    expect(nextPoll({ pollIndex: 3, now: T0 }, intervals, () => 0.5)).toEqual({ delayMs: 4_500, nextIndex: 4 });
  });

  it("moves even the first read to the end of the quiet period", () => {
    const first = nextPoll({ pollIndex: 0, quietUntil: T0 + 60_000, now: T0 }, intervals, () => 0);
    expect(first.delayMs).toBe(60_000);
  });

  it("moves a read that would come before the quiet period's end to just after it, then holds the cap", () => {
    const moved = nextPoll({ pollIndex: 1, quietUntil: T0 + 20_000, now: T0 + 1_000 }, intervals, () => 0.5);
    expect(moved.delayMs).toBe(19_000 + 800);
    expect(nextPoll({ pollIndex: 1, quietUntil: T0 + 20_000, now: T0 + 1_000 }, intervals, () => 0).delayMs).toBe(
      19_000,
    );

    const after = nextPoll({ pollIndex: moved.nextIndex, now: T0 + 20_800 }, intervals, () => 0.5);
    expect(after.delayMs).toBe(8_000);
  });

  it("leaves the schedule alone once the quiet period is over", () => {
    expect(nextPoll({ pollIndex: 2, quietUntil: T0 + 2_000, now: T0 + 1_000 }, intervals, () => 0.5)).toEqual({
      delayMs: 3_000,
      nextIndex: 3,
    });
  });
});

describe("adaptive polling through the client", () => {
  const runMs = 600;

  /** Runs five jobs to teach the client, then one more; returns the status reads of the last. */
  async function readsOfSixthJob(
    adaptivePolling: boolean,
  ): Promise<{ reads: number; firstReadMs: number; secondReadMs: number }> {
    const { gateway, client } = await setup({ pollIntervalMs: 20, maxPollIntervalMs: 40, adaptivePolling });
    await Promise.all(
      Array.from({ length: MIN_DURATION_SAMPLES }, () => {
        gateway.nextJob({ durationMs: runMs });
        return client.ltx23.textToVideo({ prompt: "teach" });
      }),
    );
    gateway.nextJob({ durationMs: runMs });
    let submittedAt = 0;
    const seenAt: number[] = [];
    const job = await client.generate(
      MODEL,
      { prompt: "sixth" },
      {
        onSubmit: () => {
          submittedAt = Date.now();
        },
        onStatus: () => void seenAt.push(Date.now() - submittedAt),
      },
    );
    const reads = gateway.requestsOf("status").filter((request) => request.path.endsWith(job.request_id)).length;
    return { reads, firstReadMs: seenAt[0] ?? -1, secondReadMs: seenAt[1] ?? -1 };
  }

  it("makes no read before the model's jobs have ever ended", async () => {
    const learned = await readsOfSixthJob(true);
    const plain = await readsOfSixthJob(false);

    // Nothing before the learned run time (less the submit latency of the jobs it learned from).
    expect(learned.firstReadMs).toBeGreaterThanOrEqual(runMs * 0.8);
    expect(learned.reads).toBeLessThanOrEqual(3);
    expect(plain.firstReadMs).toBeLessThan(runMs / 2);
    expect(plain.reads).toBeGreaterThanOrEqual(8);
  });

  it("reports a job that fails at once no later than the quiet period, then stops quieting", async () => {
    const { gateway, client } = await setup({ pollIntervalMs: 20, maxPollIntervalMs: 40 });
    await Promise.all(
      Array.from({ length: MIN_DURATION_SAMPLES }, () => {
        gateway.nextJob({ durationMs: runMs });
        return client.ltx23.textToVideo({ prompt: "teach" });
      }),
    );
    gateway.nextJob({ durationMs: 0, outcome: "ERROR" });
    const started = Date.now();
    const failure = await rejectionOf(client.ltx23.textToVideo({ prompt: "fails at once" }));
    const failedAfter = Date.now() - started;
    expect(failure).toBeInstanceOf(GenerationFailedError);
    expect(failedAfter).toBeGreaterThanOrEqual(runMs * 0.8);

    // The quick failure taught the client: the next job is read early again.
    gateway.nextJob({ durationMs: runMs });
    let submittedAt = 0;
    let firstReadMs = -1;
    await client.ltx23.textToVideo(
      { prompt: "after the failure" },
      {
        onSubmit: () => {
          submittedAt = Date.now();
        },
        onStatus: () => {
          if (firstReadMs < 0) firstReadMs = Date.now() - submittedAt;
        },
      },
    );
    expect(firstReadMs).toBeLessThan(runMs / 2);
  });

  it("refuses a non-boolean adaptivePolling before anything is sent", async () => {
    const error = await rejectionOf((async () => setup({ adaptivePolling: "yes" as unknown as boolean }))());

    expect(String(error)).toMatch(/adaptivePolling/);
    expect(String(error)).toMatch(/true or false/);
  });
});
