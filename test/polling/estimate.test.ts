import { describe, expect, it } from "vitest";
import { type CompletionEstimate, type JobStatus, Pixazo } from "../../src/index.js";
import {
  estimateCompletion,
  normalCdf,
  normalQuantile,
  PRIOR_MEDIAN_SECONDS,
  runTimeDistribution,
} from "../../src/polling/estimate.js";
import { jobWork, typicalWork } from "../../src/polling/job-work.js";
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

/** Starts and ends jobs of `input`'s work, each taking `runMs`, seen from the client's side. */
function learn(
  runTimes: RunTimes,
  runMs: number[],
  input: Record<string, unknown> = {},
  status: "COMPLETED" | "FAILED" = "COMPLETED",
) {
  for (const [index, ms] of runMs.entries()) {
    const id = `${MODEL}_learn-${status}-${index}-${ms}`;
    runTimes.started(id, MODEL, T0, jobWork(MODEL, input));
    runTimes.ended(ended(id, status, ms), T0 + ms - 500, T0 + ms + 500);
  }
}

const seconds = (estimate: CompletionEstimate | undefined) => (estimate?.remainingMs ?? Number.NaN) / 1000;

describe("the normal distribution", () => {
  it("is computed to four decimals", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 4);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 4);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 4);
    expect(normalCdf(normalQuantile(0.3))).toBeCloseTo(0.3, 5);
  });
});

describe("a job's completion estimate", () => {
  it("rests on the prior before three jobs of the model ended: about 90 s for a usual job, widely spread", () => {
    const runTimes = new RunTimes();
    runTimes.started("a", MODEL, T0, jobWork(MODEL, {}));
    const estimate = runTimes.estimate("a", T0);
    expect(estimate?.basedOnJobs).toBe(0);
    expect(seconds(estimate)).toBeCloseTo(PRIOR_MEDIAN_SECONDS, 0);
    expect(estimate?.lowMs).toBeLessThan(PRIOR_MEDIAN_SECONDS * 1000 * 0.4);
    expect(estimate?.highMs).toBeGreaterThan(PRIOR_MEDIAN_SECONDS * 1000 * 2.5);
  });

  it("learns the model's time per unit of work and scales it to the job's frames and pixels", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [58_000, 60_000, 62_000, 59_000, 61_000]);
    runTimes.started("usual", MODEL, T0, jobWork(MODEL, {}));
    runTimes.started("big", MODEL, T0, jobWork(MODEL, { duration: 10, resolution: "2160p", fps: 50 }));
    const usual = runTimes.estimate("usual", T0);
    expect(usual?.basedOnJobs).toBe(5);
    expect(seconds(usual)).toBeCloseTo(60, -0.5);
    // 10/6 × 50/25 × 4 (2160p has four times the pixels of 1080p): about 13.3× the work.
    expect(seconds(runTimes.estimate("big", T0)) / seconds(usual)).toBeCloseTo((10 / 6) * 2 * 4, 0);
    // Consistent jobs give a narrow spread: eight in ten within about ±15 %.
    expect((usual?.highMs ?? 0) / 1000).toBeLessThan(70);
    expect((usual?.lowMs ?? 0) / 1000).toBeGreaterThan(50);
  });

  it("never promises a time already past: a job slower than its peers sees its estimate move out", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [60_000, 60_000, 60_000, 60_000]);
    runTimes.started("slow", MODEL, T0, jobWork(MODEL, {}));
    const atStart = runTimes.estimate("slow", T0);
    const late = runTimes.estimate("slow", T0 + 90_000);
    expect(late?.remainingMs).toBeGreaterThan(0);
    expect(late?.lowMs).toBeGreaterThanOrEqual(0);
    expect(late?.remainingMs).toBeLessThan(atStart?.remainingMs ?? 0);
    expect(late?.highMs).toBeGreaterThan(late?.remainingMs ?? 0);
  });

  it("says it rests on the prior while fewer than three jobs have completed", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [60_000, 61_000]);
    runTimes.started("third", MODEL, T0, jobWork(MODEL, {}));
    expect(runTimes.estimate("third", T0)?.basedOnJobs).toBe(0);
    learn(runTimes, [62_000]);
    runTimes.started("fourth", MODEL, T0, jobWork(MODEL, {}));
    expect(runTimes.estimate("fourth", T0)?.basedOnJobs).toBe(3);
  });

  it("learns nothing about run time from failed jobs, which may end at any moment", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [2_000, 2_000, 2_000, 2_000], {}, "FAILED");
    runTimes.started("next", MODEL, T0, jobWork(MODEL, {}));
    expect(runTimes.estimate("next", T0)?.basedOnJobs).toBe(0);
  });

  it("is made for a model's usual job from the defaults the reference gives", () => {
    expect(typicalWork(MODEL)).toBeCloseTo(6 * 25 * ((1080 * 1920) / 1e6), 1);
    expect(runTimeDistribution([], typicalWork(MODEL), typicalWork(MODEL)).mu).toBeCloseTo(Math.log(90), 6);
    expect(estimateCompletion({ mu: Math.log(60), sigma: 0.1 }, 0, 4).remainingMs).toBeCloseTo(60_000, -2);
  });
});

describe("onStatus", () => {
  it("is told the estimate while the job runs, and none once it ended or for a job submitted elsewhere", async () => {
    const { client } = await setup({}, { job: { queuedPolls: 1, processingPolls: 2 } });
    const seen: [string, CompletionEstimate | undefined][] = [];
    const job = await client.generate(
      "ltx-2-3-text-to-video",
      { prompt: "x" },
      {
        onStatus: ({ status }, { estimate }) => void seen.push([status, estimate]),
      },
    );
    expect(seen.map(([status]) => status)).toEqual(["QUEUED", "PROCESSING", "PROCESSING", "COMPLETED"]);
    for (const [, estimate] of seen.slice(0, -1)) {
      expect(estimate?.basedOnJobs).toBe(0);
      expect(estimate?.remainingMs).toBeGreaterThan(0);
    }
    expect(seen.at(-1)?.[1]).toBeUndefined();

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

describe("the outlook a wait plans with", () => {
  it("scales with the job's work: a big job is not held to the run time of the model's small ones", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [60_000, 61_000, 62_000, 63_000, 64_000]);
    runTimes.started("small", MODEL, T0, jobWork(MODEL, {}));
    runTimes.started("big", MODEL, T0, jobWork(MODEL, { duration: 10, resolution: "2160p", fps: 50 }));
    const small = runTimes.outlook("small")?.runTime;
    const big = runTimes.outlook("big")?.runTime;
    // 10/6 × 50/25 × 4: the same rate, times this job's work.
    expect((big?.mu ?? 0) - (small?.mu ?? 0)).toBeCloseTo(Math.log((10 / 6) * 2 * 4), 9);
    expect(big?.sigma).toBe(small?.sigma);
  });

  it("stays bounded by a recent quick failure, whatever the job's work", () => {
    const runTimes = new RunTimes();
    learn(runTimes, [60_000, 61_000, 62_000, 63_000]);
    learn(runTimes, [2_000], {}, "FAILED");
    runTimes.started("big", MODEL, T0, jobWork(MODEL, { duration: 10, resolution: "2160p" }));
    expect(runTimes.outlook("big")?.earliestFailureMs).toBe(2_000);
  });
});
