import { describe, expect, it } from "vitest";
import { GenerationFailedError, type JobStatus } from "../../src/index.js";
import { ltx23TextToVideo } from "../../src/models/ltx-2-3-text-to-video.js";
import { ltx219bApi513 } from "../../src/models/ltx-2-19b-api-513.js";
import { relativeWork } from "../../src/models/work.js";
import { MIN_ESTIMATE_SAMPLES } from "../../src/polling/estimate.js";
import { RunTimes } from "../../src/polling/run-times.js";
import { MAX_SAMPLES } from "../../src/run-time-store/format.js";
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

/** The quiet span of a new job of `model` at `size`. */
function quietOfNext(runTimes: RunTimes, model = MODEL, size = 1): number | undefined {
  const id = `${model}_next-${Math.random()}`;
  runTimes.started(id, model, T0, size);
  return runTimes.quietMs(id);
}

describe("RunTimes", () => {
  it("knows no quiet span until three jobs of the model completed, then the fastest of them", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES - 1, 40_000);
    expect(quietOfNext(durations)).toBeUndefined();

    learn(durations, 1, 30_000, MODEL, "third");
    expect(quietOfNext(durations)).toBe(30_000);
  });

  it("assumes the gateway's prior until then, scaled down for a small job, never stretched", () => {
    const durations = new RunTimes(15_000);
    expect(quietOfNext(durations)).toBe(15_000);
    expect(quietOfNext(durations, MODEL, 0.5)).toBe(7_500);
    expect(quietOfNext(durations, MODEL, 8)).toBe(15_000);
    learn(durations, MIN_ESTIMATE_SAMPLES, 40_000);
    expect(quietOfNext(durations)).toBe(40_000);
  });

  it("scales with the job's work: a big job is not held to the run time of the model's small ones", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES, 30_000);
    const big = relativeWork(ltx23TextToVideo.work, { duration: 10, resolution: "2160p", fps: 50 });
    // 10/6 × 50/25 × 4: the same pace, times this job's work.
    expect(big).toBeCloseTo((10 / 6) * 2 * 4, 9);
    expect(quietOfNext(durations, MODEL, big)).toBeCloseTo(30_000 * big, 3);
  });

  it("keeps a job's size finite and bounded, whatever its input says", () => {
    const work = ltx219bApi513.work;
    expect(relativeWork(work, {})).toBe(1);
    expect(relativeWork(work, { video_size: "0x0" })).toBe(1);
    expect(relativeWork(work, { video_size: `${"9".repeat(309)}x9` })).toBe(1);
    expect(relativeWork(work, { num_frames: 1e308, video_size: "99999x99999" })).toBe(64);
    expect(relativeWork(work, { num_frames: 1, video_size: "1x1" })).toBe(1 / 64);
    expect(relativeWork(() => Number.NaN, {})).toBe(1);
  });

  it("learns nothing for a job it did not see submitted", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES, 40_000);

    expect(durations.quietMs("submitted-elsewhere")).toBeUndefined();
    durations.ended(ended("submitted-elsewhere", T0, 1_000), undefined, T0 + 1_000);
    expect(quietOfNext(durations)).toBe(40_000);
  });

  it("keeps models apart", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES, 40_000, "ltx-2-3-image-to-video");

    expect(quietOfNext(durations)).toBeUndefined();
  });

  it("trusts gateway timestamps only inside what the client saw", () => {
    const durations = new RunTimes();
    // completed_at five hours late (a server clock in another zone): the client saw it end by 32 s.
    for (let index = 0; index < MIN_ESTIMATE_SAMPLES; index++) {
      durations.started(`late-${index}`, MODEL, T0);
      durations.ended(ended(`late-${index}`, T0, 5 * 3_600_000), T0 + 30_000, T0 + 32_000);
    }
    expect(quietOfNext(durations)).toBe(32_000);

    // completed_at before the last read that found the job running: that read wins.
    const early = new RunTimes();
    for (let index = 0; index < MIN_ESTIMATE_SAMPLES; index++) {
      early.started(`early-${index}`, MODEL, T0);
      early.ended(ended(`early-${index}`, T0, 1_000), T0 + 30_000, T0 + 32_000);
    }
    expect(quietOfNext(early)).toBe(30_000);
  });

  it("falls back to the last running read when the gateway sends no timestamps", () => {
    const durations = new RunTimes();
    for (let index = 0; index < MIN_ESTIMATE_SAMPLES; index++) {
      durations.started(`bare-${index}`, MODEL, T0);
      durations.ended(ended(`bare-${index}`, T0, undefined), T0 + 18_000, T0 + 26_000);
    }
    expect(quietOfNext(durations)).toBe(18_000);
  });

  it("keeps failures apart: they bound the quiet span and leave the run times alone", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES, 40_000);
    durations.started("failed", MODEL, T0);
    durations.ended({ ...ended("failed", T0, 2_000), status: "ERROR", output: null }, undefined, T0 + 2_500);

    expect(quietOfNext(durations)).toBe(2_000);
    // The big job too: a failure may come at any time, whatever the work.
    expect(quietOfNext(durations, MODEL, 8)).toBe(2_000);
    durations.started("running", MODEL, T0);
    expect(durations.estimate("running", T0)?.remainingMs).toBe(40_000);
  });

  it("learns no run time under a second or over a day, and never a quiet span over ten minutes", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES, 500, MODEL, "instant");
    expect(quietOfNext(durations)).toBeUndefined();
    learn(durations, MIN_ESTIMATE_SAMPLES, 2 * 86_400_000, MODEL, "forever");
    expect(quietOfNext(durations)).toBeUndefined();
    learn(durations, MIN_ESTIMATE_SAMPLES, 3_600_000, MODEL, "hour");
    expect(quietOfNext(durations)).toBe(600_000);
  });

  it("remembers only the latest jobs of a model, so an old odd one stops counting", () => {
    const durations = new RunTimes();
    learn(durations, 1, 5_000, MODEL, "old");
    learn(durations, MAX_SAMPLES - 1, 40_000, MODEL, "recent");
    expect(quietOfNext(durations)).toBe(5_000);

    learn(durations, 1, 40_000, MODEL, "newest");
    expect(quietOfNext(durations)).toBe(40_000);
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

describe("adaptive polling through the client", () => {
  const runMs = 1_200;

  /** Runs five jobs to teach the client, then one more; returns the status reads of the last. */
  async function readsOfSixthJob(
    adaptivePolling: boolean,
  ): Promise<{ reads: number; firstReadMs: number; secondReadMs: number }> {
    const { gateway, client } = await setup({ pollIntervalMs: 20, maxPollIntervalMs: 40, adaptivePolling });
    await Promise.all(
      Array.from({ length: MIN_ESTIMATE_SAMPLES + 2 }, () => {
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

  it("makes no read before the model's jobs have been seen to end, once learned", async () => {
    const learned = await readsOfSixthJob(true);
    const plain = await readsOfSixthJob(false);

    // Nothing before the learned run time (less the submit latency of the jobs it learned from).
    expect(learned.firstReadMs).toBeGreaterThanOrEqual(runMs * 0.8);
    expect(learned.reads).toBeLessThanOrEqual(5);
    expect(learned.reads).toBeLessThan(plain.reads / 2);
    expect(plain.firstReadMs).toBeLessThan(runMs / 2);
    expect(plain.reads).toBeGreaterThanOrEqual(8);
  });

  it("reports a job that fails at once no later than the learned start of completions, then reads early", async () => {
    const { gateway, client } = await setup({ pollIntervalMs: 20, maxPollIntervalMs: 40 });
    await Promise.all(
      Array.from({ length: MIN_ESTIMATE_SAMPLES + 2 }, () => {
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
