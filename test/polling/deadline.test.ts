import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GenerationFailedError, type JobStatus, WaitTimeoutError } from "../../src/index.js";
import { ltx23TextToVideo } from "../../src/models/ltx-2-3-text-to-video.js";
import { relativeWork } from "../../src/models/work.js";
import { Polling } from "../../src/polling/polling.js";

/*
 * The deadline, on an injected clock: whatever the stored run times, the input's size, the
 * gateway's timestamps, the wall clock's jumps and the read latencies, a wait settles by its
 * timeout plus one request timeout, and a job that completed by its deadline is never reported
 * unfinished.
 */

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const MODEL = "ltx-2-3-text-to-video";
const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1e308, 0.001, 86_400, 3_600),
);
const sample = fc.oneof(fc.tuple(anyNumber, anyNumber), fc.anything());
const storedText = fc.oneof(
  fc
    .record({ completed: fc.array(sample, { maxLength: 40 }), failed: fc.array(sample, { maxLength: 40 }) })
    .map((model) => JSON.stringify({ version: 2, models: { [MODEL]: model } })),
  fc.string(),
  fc.constant(undefined),
);
const timestamp = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string(),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.integer().map((ms) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()),
);
const input = fc.record(
  {
    duration: anyNumber,
    fps: anyNumber,
    resolution: fc.constantFrom("720p", "1080p", "1440p", "2160p", "8K", ""),
  },
  { requiredKeys: [] },
);

/**
 * A job as the gateway runs it: when it ends (as a share of the wait's timeout, often right at
 * its end), how its reads are answered, its timestamps.
 */
const job = fc.record({
  endsAt: fc.option(fc.oneof(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.constantFrom(1, 0.9999, 0.999, 0.99))),
  outcome: fc.constantFrom("COMPLETED", "FAILED"),
  // Mostly quick answers; some slow past any request timeout; -1 for a read that hangs until its
  // signal aborts, -2 for one that hangs and ignores its signal.
  readLatencyMs: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 500 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 120_000 }) },
      { weight: 1, arbitrary: fc.constant(-1) },
      { weight: 1, arbitrary: fc.constant(-2) },
    ),
    { minLength: 1, maxLength: 8 },
  ),
  createdAt: timestamp,
  completedAt: timestamp,
});

describe("a wait's deadline", () => {
  it("is never outlived, and a job done by it is never reported unfinished", async () => {
    // A hostile store costs a warning each run; they are not the subject here.
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    await fc.assert(
      fc.asyncProperty(
        storedText,
        fc.boolean(),
        input,
        fc.array(job, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.record({
          pollIntervalMs: fc.integer({ min: 500, max: 10_000 }),
          extra: fc.integer({ min: 0, max: 60_000 }),
        }),
        fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 4 }),
        fc.boolean(),
        async (stored, gateway, fields, jobs, timeoutMs, requestTimeoutMs, pace, clockJumps, events) => {
          vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
          const polling = new Polling(true, async () => ({ load: () => stored, save: () => {} }), gateway);
          const size = relativeWork(ltx23TextToVideo.work, fields);
          // Earlier jobs teach the client whatever their timestamps say; the last is the one checked.
          for (const [index, script] of jobs.entries()) {
            const requestId = `${MODEL}_job-${index}`;
            const endsAtMs = script.endsAt === null ? null : Math.floor(script.endsAt * timeoutMs);
            const submittedAt = performance.now();
            polling.submitted(requestId, MODEL, submittedAt, size);
            let reads = 0;
            const readStatus = (signal: AbortSignal): Promise<JobStatus> =>
              new Promise((resolve, reject) => {
                const latency = script.readLatencyMs[reads++ % script.readLatencyMs.length] as number;
                if (latency !== -2) signal.addEventListener("abort", () => reject(signal.reason), { once: true });
                if (latency < 0) return;
                setTimeout(() => {
                  const done = endsAtMs !== null && performance.now() - submittedAt >= endsAtMs;
                  resolve({
                    request_id: requestId,
                    status: done ? script.outcome : "PROCESSING",
                    error: done && script.outcome === "FAILED" ? "failed" : null,
                    output: done ? { media_url: ["https://cdn.example/v.mp4"], media_type: "video/mp4" } : null,
                    created_at: script.createdAt as string,
                    completed_at: script.completedAt as string,
                  });
                }, latency);
              });
            const begun = performance.now();
            let settledAt: number | undefined;
            let outcome: unknown;
            const waiting = polling
              .wait(requestId, readStatus, {
                timeoutMs,
                requestTimeoutMs,
                pollIntervalMs: pace.pollIntervalMs,
                maxPollIntervalMs: pace.pollIntervalMs + pace.extra,
                events: events ? { subscribe: () => () => {} } : undefined,
              })
              .then(
                (value) => value,
                (error: unknown) => error,
              )
              .then((value) => {
                settledAt = performance.now();
                outcome = value;
              });
            const bound = begun + timeoutMs + requestTimeoutMs;
            for (const jump of clockJumps) {
              await vi.advanceTimersByTimeAsync(timeoutMs / (clockJumps.length + 1));
              vi.setSystemTime(Date.now() + jump);
            }
            while (settledAt === undefined && performance.now() < bound) {
              await vi.advanceTimersByTimeAsync(Math.min(60_000, bound - performance.now()));
            }
            await vi.advanceTimersByTimeAsync(0);
            expect(settledAt).toBeDefined();
            await waiting;
            expect(settledAt).toBeLessThanOrEqual(bound);
            // A job that ended before its deadline (and answered in time) is reported as it ended.
            const endedInTime =
              endsAtMs !== null &&
              endsAtMs <= timeoutMs &&
              // (A timer of 0 ms fires after 1, as Node's do.)
              script.readLatencyMs.every((latency) => latency >= 0 && Math.max(1, latency) < requestTimeoutMs);
            if (endedInTime) expect(outcome).not.toBeInstanceOf(WaitTimeoutError);
            if (outcome instanceof Error && !(outcome instanceof WaitTimeoutError)) {
              expect(outcome).toBeInstanceOf(GenerationFailedError);
            }
          }
          vi.useRealTimers();
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
