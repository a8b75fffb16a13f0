import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CompletionEstimate, type JobStatus, Pixazo } from "../../src/index.js";
import { ltx23TextToVideo } from "../../src/models/ltx-2-3-text-to-video.js";
import { relativeWork } from "../../src/models/work.js";
import { estimateCompletion } from "../../src/polling/estimate.js";
import { RunTimes } from "../../src/polling/run-times.js";
import { setup, TEST_KEY } from "../support/gateway.js";

const T0 = 1_000_000;
const MODEL = "ltx-2-3-text-to-video";

function ended(requestId: string, status: "COMPLETED" | "FAILED", runMs: number): JobStatus {
  const iso = (ms: number) => new Date(Date.UTC(2026, 10, 26) + ms).toISOString();
  return {
    request_id: requestId,
    status,
    error: status === "FAILED" ? "failed" : null,
    output: status === "COMPLETED" ? { media_url: ["https://cdn.example/v.mp4"], media_type: "video/mp4" } : null,
    created_at: iso(0),
    completed_at: iso(runMs),
  };
}

/** Starts and ends jobs of `input`'s size, each taking `runMs`, seen from the client's side. */
function learn(
  runTimes: RunTimes,
  runMs: number[],
  input: Record<string, unknown> = {},
  status: "COMPLETED" | "FAILED" = "COMPLETED",
) {
  for (const [index, ms] of runMs.entries()) {
    const id = `${MODEL}_learn-${status}-${index}-${ms}`;
    runTimes.started(id, MODEL, T0, relativeWork(ltx23TextToVideo.work, input));
    runTimes.ended(ended(id, status, ms), T0 + ms - 500, T0 + ms + 500);
  }
}

const seconds = (estimate: CompletionEstimate | undefined) => (estimate?.remainingMs ?? Number.NaN) / 1000;

describe("a job's completion estimate", () => {
  it("says nothing before three jobs of the model completed", () => {
    const runTimes = new RunTimes(15_000);
    learn(runTimes, [40_000, 50_000]);
    runTimes.started("next", MODEL, T0);
    expect(runTimes.estimate("next", T0 + 1_000)).toBeUndefined();

    learn(runTimes, [60_000]);
    expect(runTimes.estimate("next", T0 + 1_000)).toEqual({
      remainingMs: 49_000,
      lowMs: 39_000,
      highMs: 59_000,
      basedOnJobs: 3,
    });
  });

  it("scales the model's run times to the job's frames and pixels", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [30_000, 30_000, 30_000]);
    runTimes.started("big", MODEL, T0, relativeWork(ltx23TextToVideo.work, { duration: 12, resolution: "1080p" }));
    // Twice the frames at the same size: twice the run time.
    expect(seconds(runTimes.estimate("big", T0))).toBe(60);
  });

  it("never promises a time already past: a job slower than most sees its estimate move out", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [20_000, 30_000, 40_000, 50_000, 120_000]);
    runTimes.started("slow", MODEL, T0);
    const early = seconds(runTimes.estimate("slow", T0 + 10_000));
    const late = seconds(runTimes.estimate("slow", T0 + 60_000));
    expect(early).toBe(30);
    // Past four of the five: only the slowest says what is left.
    expect(late).toBe(60);
  });

  it("says nothing for a job running longer than every recent one", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [20_000, 30_000, 40_000]);
    runTimes.started("overdue", MODEL, T0);
    expect(runTimes.estimate("overdue", T0 + 45_000)).toBeUndefined();
  });

  it("learns nothing about run time from failed jobs, which may end at any moment", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [30_000, 30_000, 30_000]);
    learn(runTimes, [1_000, 1_000, 1_000], {}, "FAILED");
    runTimes.started("next", MODEL, T0);
    expect(seconds(runTimes.estimate("next", T0))).toBe(30);
  });

  it("is never NaN, negative or infinite, whatever the run times and the time run so far", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e308, 0, -1))),
        fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY, -1e308)),
        (runTimesMs, elapsedMs) => {
          const estimate = estimateCompletion(runTimesMs, elapsedMs);
          if (estimate === undefined) return;
          for (const value of [estimate.lowMs, estimate.remainingMs, estimate.highMs]) {
            expect(Number.isInteger(value)).toBe(true);
            expect(value).toBeGreaterThan(0);
          }
          expect(estimate.lowMs).toBeLessThanOrEqual(estimate.remainingMs);
          expect(estimate.remainingMs).toBeLessThanOrEqual(estimate.highMs);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe("onStatus", () => {
  it("is told the estimate while the job runs, and none once it ended or for a job submitted elsewhere", async () => {
    const { gateway, client } = await setup();
    // Three jobs of 1.2 to 3 s teach the client the model's run times.
    const teaching = [1_200, 2_000, 3_000].map((durationMs) => {
      gateway.nextJob({ durationMs });
      return client.generate("ltx-2-3-text-to-video", { prompt: "teach" });
    });
    await Promise.all(teaching);
    gateway.nextJob({ durationMs: 2_500 });
    const seen: [string, CompletionEstimate | undefined][] = [];
    const job = await client.generate(
      "ltx-2-3-text-to-video",
      { prompt: "x" },
      { onStatus: ({ status }, { estimate }) => void seen.push([status, estimate]) },
    );
    expect(seen.at(-1)?.[0]).toBe("COMPLETED");
    expect(seen.at(-1)?.[1]).toBeUndefined();
    const running = seen.slice(0, -1).map(([, estimate]) => estimate);
    expect(running.length).toBeGreaterThan(0);
    // No read before the fastest learned run time; from there, what the slower ones had left.
    expect(running[0]?.basedOnJobs).toBe(3);
    expect(running[0]?.remainingMs).toBeGreaterThan(0);
    expect(running[0]?.highMs).toBeLessThan(3_000);

    expect(job.status).toBe("COMPLETED");
    // Another client (another process, say) waiting on a running job knows nothing of it.
    const { request_id } = await client.submit("ltx-2-3-text-to-video", { prompt: "x" });
    const other = new Pixazo({ apiKey: TEST_KEY, baseUrl: client.baseUrl, pollIntervalMs: 10 });
    const elsewhere: [string, CompletionEstimate | undefined][] = [];
    await other.wait(request_id, { onStatus: ({ status }, { estimate }) => void elsewhere.push([status, estimate]) });
    expect(elsewhere.map(([status]) => status)).toContain("PROCESSING");
    expect(elsewhere.every(([, estimate]) => estimate === undefined)).toBe(true);
    await other.close();
  });
});
