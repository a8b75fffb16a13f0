import { describe, expect, it } from "vitest";
import { GenerationFailedError, type JobStatus } from "../../src/index.js";
import { MIN_ESTIMATE_SAMPLES, PRIOR_MEDIAN_SECONDS } from "../../src/polling/estimate.js";
import type { JobOutlook } from "../../src/polling/read-plan.js";
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

/** The median run time (ms) of the distribution a wait on `requestId` plans with. */
function medianMs(runTimes: RunTimes, requestId: string): number {
  const outlook = runTimes.outlook(requestId);
  if (!outlook) throw new Error(`no outlook for ${requestId}`);
  return Math.exp(outlook.runTime.mu) * 1000;
}

describe("RunTimes", () => {
  it("plans with the prior until three jobs of the model completed, then with their run times", () => {
    const durations = new RunTimes();
    learn(durations, MIN_ESTIMATE_SAMPLES - 1, 40_000);
    durations.started("next", MODEL, T0 + 100_000);
    expect(durations.outlook("next")?.learned).toBe(false);
    expect(medianMs(durations, "next")).toBeCloseTo(PRIOR_MEDIAN_SECONDS * 1000, 0);

    learn(durations, 1, 40_000, MODEL, "third");
    durations.started("after", MODEL, T0 + 100_000);
    expect(durations.outlook("after")).toMatchObject({ learned: true, startedAt: T0 + 100_000 });
    expect(medianMs(durations, "after")).toBeCloseTo(40_000, 0);
  });

  it("scales the prior by the client's pollIntervalMs", () => {
    const durations = new RunTimes(10 / 2_000);
    durations.started("fake", MODEL, T0);
    expect(medianMs(durations, "fake")).toBeCloseTo(PRIOR_MEDIAN_SECONDS * 5, 3);
  });

  it("reads early only for an input naming a file, until five jobs of the model have ended", () => {
    const durations = new RunTimes();
    durations.started("image", MODEL, T0, undefined, true);
    durations.started("text", MODEL, T0, undefined, false);
    expect(durations.outlook("image")?.earlyRead).toBe(true);
    expect(durations.outlook("text")?.earlyRead).toBe(false);

    learn(durations, MIN_DURATION_SAMPLES, 40_000);
    durations.started("later-image", MODEL, T0, undefined, true);
    expect(durations.outlook("later-image")?.earlyRead).toBe(false);
  });

  it("learns nothing for a job it did not see submitted", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000);

    expect(durations.outlook("submitted-elsewhere")).toBeUndefined();
    durations.ended(ended("submitted-elsewhere", T0, 1_000), undefined, T0 + 1_000);
    durations.started("next", MODEL, T0);
    expect(medianMs(durations, "next")).toBeCloseTo(40_000, 0);
  });

  it("keeps models apart", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000, "ltx-2-3-image-to-video");
    durations.started("text", MODEL, T0);

    expect(durations.outlook("text")?.learned).toBe(false);
  });

  it("trusts gateway timestamps only inside what the client saw", () => {
    const durations = new RunTimes();
    // completed_at five hours late (a server clock in another zone): the client saw it end by 32 s.
    for (let index = 0; index < MIN_DURATION_SAMPLES; index++) {
      durations.started(`late-${index}`, MODEL, T0);
      durations.ended(ended(`late-${index}`, T0, 5 * 3_600_000), T0 + 30_000, T0 + 32_000);
    }
    durations.started("a", MODEL, T0);
    expect(medianMs(durations, "a")).toBeCloseTo(32_000, 0);

    // completed_at before the last read that found the job running: that read wins.
    const early = new RunTimes();
    for (let index = 0; index < MIN_DURATION_SAMPLES; index++) {
      early.started(`early-${index}`, MODEL, T0);
      early.ended(ended(`early-${index}`, T0, 1_000), T0 + 30_000, T0 + 32_000);
    }
    early.started("b", MODEL, T0);
    expect(medianMs(early, "b")).toBeCloseTo(30_000, 0);
  });

  it("falls back to the last running read when the gateway sends no timestamps", () => {
    const durations = new RunTimes();
    for (let index = 0; index < MIN_DURATION_SAMPLES; index++) {
      durations.started(`bare-${index}`, MODEL, T0);
      durations.ended(ended(`bare-${index}`, T0, undefined), T0 + 18_000, T0 + 26_000);
    }
    durations.started("c", MODEL, T0);

    expect(medianMs(durations, "c")).toBeCloseTo(18_000, 0);
  });

  it("keeps failures apart: they bound the first read and leave the run-time distribution alone", () => {
    const durations = new RunTimes();
    learn(durations, MIN_DURATION_SAMPLES, 40_000);
    durations.started("failed", MODEL, T0);
    durations.ended({ ...ended("failed", T0, 2_000), status: "ERROR", output: null }, undefined, T0 + 2_500);
    durations.started("next", MODEL, T0);

    expect(durations.outlook("next")?.earliestFailureMs).toBe(2_000);
    expect(medianMs(durations, "next")).toBeCloseTo(40_000, 0);
  });

  it("remembers only the latest jobs of a model, so an old odd one stops counting", () => {
    const durations = new RunTimes();
    learn(durations, 1, 5_000, MODEL, "old");
    learn(durations, DURATION_SAMPLES_PER_MODEL - 1, 40_000, MODEL, "recent");
    durations.started("d", MODEL, T0);
    expect(durations.outlook("d")?.runTime.sigma).toBeGreaterThan(0.3);

    learn(durations, 1, 40_000, MODEL, "newest");
    durations.started("e", MODEL, T0);
    // Thirty-two equal run times: the narrowest spread the SDK assumes.
    expect(durations.outlook("e")?.runTime.sigma).toBe(0.1);
    expect(medianMs(durations, "e")).toBeCloseTo(40_000, 0);
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
  const fallbackIntervals = { pollIntervalMs: 30_000, maxPollIntervalMs: 60_000 };
  /** Jobs of about 60 s, give or take 10 %: 5 % end before 50.9 s, 95 % before 70.7 s. */
  const sixtySeconds = { mu: Math.log(60), sigma: 0.1 };
  const outlook = (overrides: Partial<JobOutlook> = {}): JobOutlook => ({
    startedAt: T0,
    runTime: sixtySeconds,
    learned: true,
    earlyRead: false,
    ...overrides,
  });
  /** The run times (s, from submit) of the reads a wait makes up to `untilSeconds`, without jitter. */
  function readTimes(position: JobOutlook, until: number, settings = intervals): number[] {
    const times: number[] = [];
    const start = position.startedAt;
    for (let now = start, pollIndex = 0; now - start < until * 1000; ) {
      const planned = nextPoll({ pollIndex, outlook: position, now }, settings, () => 0.5);
      pollIndex = planned.nextIndex;
      now += planned.delayMs;
      times.push((now - start) / 1000);
    }
    return times;
  }
  const gaps = (times: number[]) => times.slice(1).map((time, index) => time - (times[index] as number));

  it("keeps the plain schedule for a job it knows nothing of", () => {
    expect(nextPoll({ pollIndex: 0, now: T0 }, intervals, () => 0.5)).toEqual({ delayMs: 1_000, nextIndex: 1 });
    expect(nextPoll({ pollIndex: 3, now: T0 }, intervals, () => 0.5)).toEqual({ delayMs: 4_500, nextIndex: 4 });
  });

  it("makes no read while an end is improbable, reads densely where jobs end, then holds the cap", () => {
    const times = readTimes(outlook(), 120);
    // Nothing before the 5 % quantile (50.9 s), even past the cap; jitter only delays that read.
    expect(times[0]).toBeGreaterThanOrEqual(50.9);
    expect(times[0]).toBeLessThan(56);
    expect(nextPoll({ pollIndex: 0, outlook: outlook(), now: T0 }, intervals, () => 0).delayMs).toBe(
      Math.round((times[0] ?? 0) * 1000) - 800,
    );
    const around = gaps(times.filter((time) => time <= 70));
    expect(around.length).toBeGreaterThanOrEqual(3);
    for (const gap of around) {
      expect(gap).toBeGreaterThanOrEqual(2);
      expect(gap).toBeLessThan(8);
    }
    // Past the 95 % quantile (70.7 s) the job is overdue: the distribution says no more, so the
    // reads start again at the shortest interval and grow ×1.5 to the cap.
    const overdueGaps = gaps(times.filter((time) => time >= 70.7));
    expect(overdueGaps[0]).toBeLessThanOrEqual(3);
    for (const [index, gap] of overdueGaps.entries()) {
      expect(gap).toBeGreaterThanOrEqual(overdueGaps[index - 1] ?? 0);
      expect(gap).toBeLessThanOrEqual(8);
    }
    expect(overdueGaps.at(-1)).toBe(8);
  });

  it("places the same reads relative to a job's start, whatever the clock reads", () => {
    expect(readTimes(outlook({ startedAt: T0 + 3_600_000 }), 120)).toEqual(readTimes(outlook(), 120));
  });

  it("makes the early read only when the outlook asks for it", () => {
    expect(nextPoll({ pollIndex: 0, outlook: outlook({ earlyRead: true }), now: T0 }, intervals, () => 0.5)).toEqual({
      delayMs: 1_000,
      nextIndex: 1,
    });
    expect(nextPoll({ pollIndex: 0, outlook: outlook(), now: T0 }, intervals, () => 0.5).delayMs).toBeGreaterThan(
      50_000,
    );
  });

  it("reads no later than the model's earliest recent failure, even one at once", () => {
    expect(readTimes(outlook({ earliestFailureMs: 3_000 }), 10)[0]).toBe(3);
    expect(readTimes(outlook({ earliestFailureMs: 0 }), 10)[0]).toBe(2);
  });

  it("stretches the plain schedule on the prior by at most twice the cap", () => {
    const prior = outlook({ learned: false, runTime: { mu: Math.log(90), sigma: 0.9 } });
    const times = readTimes(prior, 60);
    // 16 s, spread after by jitter (a tenth of the cap at the middle draw).
    expect(times[0]).toBe(16.8);
    expect(Math.max(...gaps(times))).toBeLessThanOrEqual(16.8);
  });

  it("backing up a webhook, reads nothing before the callback is overdue, then 30 s growing to 60 s", () => {
    // A callback reports a quick failure too: no read for the model's earliest failure either.
    const times = readTimes(
      outlook({ fallback: true, earlyRead: true, earliestFailureMs: 3_000 }),
      300,
      fallbackIntervals,
    );
    // No early read, and no read at all before the 95 % quantile (70.7 s).
    expect(times[0]).toBeGreaterThanOrEqual(70.7);
    // Jitter only delays a read that jumps a span: by a tenth of the cap at the middle draw.
    expect(times[0]).toBeCloseTo(70.7 + 6, 0);
    expect(gaps(times).every((gap) => gap >= 30 && gap <= 60)).toBe(true);
    expect(gaps(times).at(-1)).toBe(60);
    // Against a read every 30 s from the start: 10.
    expect(times.length).toBeLessThanOrEqual(7);
  });

  it("keeps jitter around each placed read", () => {
    const low = nextPoll({ pollIndex: 1, outlook: outlook(), now: T0 + 60_000 }, intervals, () => 0);
    const high = nextPoll({ pollIndex: 1, outlook: outlook(), now: T0 + 60_000 }, intervals, () => 0.999);
    expect(low.delayMs).toBeLessThan(high.delayMs);
    expect(high.delayMs).toBeLessThanOrEqual(8_000);
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
