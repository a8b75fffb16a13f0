/**
 * Question 2: polling efficiency, on a virtual clock. One client submits a stream of jobs (one
 * every 5 s, so about twenty are running at any time) whose run times spread log-uniformly from
 * 20 s to 5 min. Each job is waited on with the SDK's schedule (learning from the jobs that ended
 * before it was submitted, on the gateway's prior alone, knowing nothing, and backed by a webhook)
 * and with the fixed schedules of other clients; for each: status requests per job and how late
 * the caller learns of completion.
 *
 * The schedule and the learning are the SDK's own pure functions, run on virtual time.
 */

import type { JobStatus } from "../src/job/status.js";
import { ltx23TextToVideo } from "../src/models/ltx-2-3-text-to-video.js";
import { relativeWork } from "../src/models/work.js";
import { GATEWAY_PRIOR_QUIET_MS, RunTimes } from "../src/polling/run-times.js";
import {
  nextReadDelay,
  type PollIntervals,
  WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS,
  WEBHOOK_FALLBACK_POLL_INTERVAL_MS,
} from "../src/polling/schedule.js";
import { percentile } from "./lib/report.js";

const JOBS = 20_000;
/** Virtual time between two submits of the simulated client. */
const SUBMIT_EVERY_MS = 5_000;
/** Callback delivery latency assumed for the webhook-backed wait. */
const CALLBACK_LATENCY_MS = 300;
const EPOCH = Date.parse("2026-01-01T00:00:00.000Z");
/** The status-read budget the capacity figures assume (reads a second, one key). */
const READ_BUDGET_PER_SECOND = 5;

/** A seeded generator, so every run simulates the same jobs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(42);

/** A stream of jobs: each one's run time (ms) and its work relative to the model's defaults (see src/models/work.ts). */
interface Workload {
  readonly durations: readonly number[];
  readonly works: readonly number[];
}

/** Run times log-uniform from 20 s to 5 min, unrelated to the input: every job of one shape. */
const uniformShape: Workload = {
  durations: Array.from({ length: JOBS }, () => 20_000 * (300_000 / 20_000) ** random()),
  works: Array.from({ length: JOBS }, () => 1),
};

/**
 * Run times that follow the input, as LTX's do: duration 6/8/10 s × fps 24/25/48/50 × 1080p/
 * 1440p/2160p, at 0.1 s per frame-megapixel (31 s for the default shape, 7 min for the largest),
 * times log-normal noise (σ 0.25), plus a queue wait (exponential, mean 5 s); halfway through,
 * the gateway gets 1.5× slower. Assumptions of this bench, not measurements of the gateway.
 */
const mixedShapes: Workload = (() => {
  // A generator of its own, so the first workload's jobs stay what they were.
  const random = seeded(7);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const works = Array.from({ length: JOBS }, () =>
    relativeWork(ltx23TextToVideo.work, {
      duration: pick([6, 8, 10]),
      fps: pick([24, 25, 48, 50]),
      resolution: pick(["1080p", "1440p", "2160p"]),
    }),
  );
  const durations = works.map((work, index) => {
    const slower = index >= JOBS / 2 ? 1.5 : 1;
    const queue = -5_000 * Math.log(1 - random());
    return 31_000 * work * slower * Math.exp(0.25 * gaussian()) + queue;
  });
  return { durations, works };
})();

/**
 * How the SDK's wait is simulated: `learning` from the jobs seen end, as a client does; `prior`
 * with nothing learned ever (every wait as a fresh process's first, on the Pixazo gateway, whose
 * assumed pace is the prior); `plain` without adaptive polling, or against another base URL.
 */
type Mode = "learning" | "prior" | "plain";

interface Outcome {
  requests: number;
  delay: number;
}

/** The gateway's status object at a job's end, timestamps in the forms the reference shows. */
function endedStatus(requestId: string, startedAt: number, endedAt: number): JobStatus {
  const spaced = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
  return {
    request_id: requestId,
    status: "COMPLETED",
    model_id: "ltx-2-3-text-to-video",
    error: null,
    output: { media_url: [], media_type: "video/mp4" },
    created_at: new Date(startedAt).toISOString(),
    updated_at: spaced(endedAt),
    completed_at: spaced(endedAt),
  };
}

/**
 * Waits on every job of the stream with the SDK's schedule: reads at `nextPoll` times until one
 * sees the job ended. When `learning`, the client learns from the jobs it has seen end, as `wait`
 * does, and each wait starts with what was known at its submit. With `callbackLatencyMs`, a
 * verified callback arrives that long after the job's end and ends the wait, and one status read
 * (the verification) is counted for it, as `wait(id, { events })` with a webhook receiver does.
 */
function simulateSdk(
  intervals: PollIntervals,
  mode: Mode,
  workload: Workload = uniformShape,
  callbackLatencyMs?: number,
): Outcome[] {
  const known = new RunTimes(mode === "plain" ? undefined : GATEWAY_PRIOR_QUIET_MS);
  const pending: { seenAt: number; feed: () => void }[] = [];
  return workload.durations.map((duration, index) => {
    const startedAt = EPOCH + index * SUBMIT_EVERY_MS;
    // Teach the client every job whose end was seen before this submit, in the order seen.
    pending.sort((a, b) => a.seenAt - b.seenAt);
    while (pending.length > 0 && (pending[0]?.seenAt ?? Number.POSITIVE_INFINITY) <= startedAt) {
      const next = pending.shift();
      if (mode === "learning") next?.feed();
    }
    const requestId = `job-${index}`;
    known.started(requestId, "ltx-2-3-text-to-video", startedAt, workload.works[index]);
    const quietMs = mode === "plain" ? undefined : known.quietMs(requestId);
    const fallback = callbackLatencyMs !== undefined;
    const endsAt = startedAt + duration;
    const callbackAt = callbackLatencyMs === undefined ? Number.POSITIVE_INFINITY : endsAt + callbackLatencyMs;
    let now = startedAt;
    let lastRunningAt: number | undefined;
    for (let reads = 0; ; reads++) {
      const delay = nextReadDelay(
        { ranMs: now - startedAt, reads, quietMs, fallback, leftMs: Number.POSITIVE_INFINITY },
        intervals,
        random,
      );
      if (now + delay >= callbackAt) {
        const last = lastRunningAt;
        pending.push({
          seenAt: callbackAt,
          feed: () => known.ended(endedStatus(requestId, startedAt, endsAt), last, callbackAt),
        });
        // The verification read of the callback counts as one.
        return { requests: reads + 1, delay: callbackAt - endsAt };
      }
      now += delay;
      if (now >= endsAt) {
        const seenAt = now;
        const last = lastRunningAt;
        pending.push({ seenAt, feed: () => known.ended(endedStatus(requestId, startedAt, endsAt), last, seenAt) });
        return { requests: reads + 1, delay: now - endsAt };
      }
      lastRunningAt = now;
    }
  });
}

/** Polls at the schedule's intervals until one sees the job done. */
function simulateFixed(interval: () => number, workload: Workload = uniformShape): Outcome[] {
  return workload.durations.map((duration) => {
    let time = 0;
    for (let requests = 1; ; requests++) {
      time += interval();
      if (time >= duration) return { requests, delay: time - duration };
    }
  });
}

interface Row {
  schedule: string;
  requests: number;
  mean: number;
  p95: number;
}

function summarise(schedule: string, outcomes: Outcome[]): Row {
  const delays = outcomes.map((o) => o.delay);
  return {
    schedule,
    requests: outcomes.reduce((sum, o) => sum + o.requests, 0) / outcomes.length,
    mean: delays.reduce((sum, d) => sum + d, 0) / outcomes.length,
    p95: percentile(delays, 0.95),
  };
}

/** Requests a fixed schedule needs at `meanDelay`, by linear interpolation along the fixed curve. */
function fixedAt(fixedCurve: Row[], meanDelay: number): number {
  const [first, last] = [fixedCurve[0] as Row, fixedCurve.at(-1) as Row];
  const lower = [...fixedCurve].reverse().find((row) => row.mean <= meanDelay) ?? first;
  const upper = fixedCurve.find((row) => row.mean >= meanDelay) ?? last;
  const share = upper.mean === lower.mean ? 0 : (meanDelay - lower.mean) / (upper.mean - lower.mean);
  return lower.requests + share * (upper.requests - lower.requests);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function polling(): {
  main: Record<string, string>[];
  curve: Record<string, string>[];
  verdict: string;
  mixed: Record<string, string>[];
} {
  const defaults = { pollIntervalMs: 2_000, maxPollIntervalMs: 8_000 };
  const fixed = (ms: number) => () => ms;
  // Dense, so that interpolating between neighbours does not flatter either side (requests
  // against delay is convex: a straight line between far points overstates what fixed costs).
  const fixedCurve = Array.from({ length: 32 }, (_, step) => 500 + 500 * step).map((ms) =>
    summarise(`fixed ${ms / 1000} s`, simulateFixed(fixed(ms))),
  );
  const shownFixed = new Set([2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 16_000].map((ms) => `fixed ${ms / 1000} s`));
  const rows = {
    learned: summarise(
      "pixazo-ltx default, learning (no read before the fastest recent run time, then ×1.5 → 8 s)",
      simulateSdk(defaults, "learning"),
    ),
    prior: summarise(
      "pixazo-ltx default on the Pixazo gateway, first jobs (the 15 s prior quiet span, nothing learned)",
      simulateSdk(defaults, "prior"),
    ),
    plain: summarise(
      "pixazo-ltx, nothing known (adaptivePolling: false, or another base URL: 1 s, then ×1.5 → 8 s, ±20%)",
      simulateSdk(defaults, "plain"),
    ),
    fal: summarise("fixed 0.5 s (fal, Replicate)", simulateFixed(fixed(500))),
    runway: summarise(
      "fixed 6 s ± 1.5 s (Runway)",
      simulateFixed(() => 4_500 + 3_000 * random()),
    ),
    reference: summarise("fixed 5 s (the reference's advice)", simulateFixed(fixed(5_000))),
    webhook: summarise(
      `pixazo-ltx with webhooks (callback after ${CALLBACK_LATENCY_MS} ms, fallback polling)`,
      simulateSdk(
        { pollIntervalMs: WEBHOOK_FALLBACK_POLL_INTERVAL_MS, maxPollIntervalMs: WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS },
        "learning",
        uniformShape,
        CALLBACK_LATENCY_MS,
      ),
    ),
    lost: summarise(
      "pixazo-ltx with webhooks, every callback lost (the fallback polling alone)",
      simulateSdk(
        { pollIntervalMs: WEBHOOK_FALLBACK_POLL_INTERVAL_MS, maxPollIntervalMs: WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS },
        "learning",
        uniformShape,
        Number.POSITIVE_INFINITY,
      ),
    ),
  };
  const baseline = rows.reference.requests;
  // Capacity: how many jobs one key keeps in flight when status reads are held to a budget.
  // A job makes `requests` reads over its run time on average, so the key sustains
  // budget × mean run time ÷ requests jobs at once.
  const { durations } = uniformShape;
  const meanRunSeconds = durations.reduce((sum, ms) => sum + ms, 0) / durations.length / 1000;
  const inFlight = (requests: number) => (READ_BUDGET_PER_SECOND * meanRunSeconds) / requests;
  const main = Object.values(rows).map((row) => ({
    schedule: row.schedule,
    "status requests / job": row.requests.toFixed(1),
    "mean delay": seconds(row.mean),
    "p95 delay": seconds(row.p95),
    "requests vs 5 s fixed": (row.requests / baseline).toFixed(2),
    "requests vs fixed at same mean delay": (row.requests / fixedAt(fixedCurve, row.mean)).toFixed(2),
    [`jobs in flight at ${READ_BUDGET_PER_SECOND} reads/s`]: inFlight(row.requests).toFixed(0),
  }));

  // The curve: requests against mean delay for the SDK's schedule and fixed ones, over settings.
  const settings = [1_000, 1_500, 2_000, 2_500, 3_000, 4_000].map((base) => ({
    pollIntervalMs: base,
    maxPollIntervalMs: 4 * base,
  }));
  const label = (s: PollIntervals) => `${s.pollIntervalMs / 1000} s → ${s.maxPollIntervalMs / 1000} s`;
  const learnedCurve = settings.map((s) => summarise(`pixazo-ltx learned, ${label(s)}`, simulateSdk(s, "learning")));
  const priorCurve = settings.map((s) => summarise(`pixazo-ltx first job, ${label(s)}`, simulateSdk(s, "prior")));
  const plainCurve = settings.map((s) => summarise(`pixazo-ltx plain, ${label(s)}`, simulateSdk(s, "plain")));
  const curve = [
    ...learnedCurve,
    ...priorCurve,
    ...plainCurve,
    ...fixedCurve.filter((row) => shownFixed.has(row.schedule)),
  ]
    .sort((a, b) => a.mean - b.mean)
    .map((row) => ({
      schedule: row.schedule,
      "status requests / job": row.requests.toFixed(1),
      "mean delay": seconds(row.mean),
      "p95 delay": seconds(row.p95),
      "vs fixed at same mean delay": (row.requests / fixedAt(fixedCurve, row.mean)).toFixed(2),
    }));

  const beaten = learnedCurve.filter((row) => row.requests < fixedAt(fixedCurve, row.mean)).length;
  const atDefault = fixedAt(fixedCurve, rows.learned.mean);
  const versusFixed = (row: Row) => row.requests / fixedAt(fixedCurve, row.mean);
  const firstBeaten = priorCurve.filter((row) => versusFixed(row) <= 1).length;
  const verdict =
    `At the default's mean delay (${seconds(rows.learned.mean)}) a fixed schedule needs ${atDefault.toFixed(1)} ` +
    `requests per job; the learning default needs ${rows.learned.requests.toFixed(1)} ` +
    `(${versusFixed(rows.learned).toFixed(2)}×), and ${beaten} of ${learnedCurve.length} ` +
    "learned settings need fewer requests than a fixed schedule at the same mean delay. A client's first " +
    `jobs on the Pixazo gateway, on the prior alone, need ${rows.prior.requests.toFixed(1)} (${versusFixed(rows.prior).toFixed(2)}×; ` +
    `${firstBeaten} of ${priorCurve.length} settings at or under 1.00×); a wait that knows nothing ` +
    `(adaptivePolling: false, or another base URL) ${rows.plain.requests.toFixed(1)} (${versusFixed(rows.plain).toFixed(2)}×). ` +
    `Backed by a webhook, a wait makes ${rows.webhook.requests.toFixed(1)} status reads per job, the ` +
    `verification included. Under a budget of ${READ_BUDGET_PER_SECOND} status reads a second, one key keeps ` +
    `${inFlight(rows.learned.requests).toFixed(0)} jobs in flight with the learning default, against ` +
    `${inFlight(atDefault).toFixed(0)} for a fixed schedule at the same mean delay and ` +
    `${inFlight(rows.reference.requests).toFixed(0)} polling every 5 s (mean run time ${meanRunSeconds.toFixed(0)} s).`;
  return { main, curve, verdict, mixed: mixedShapesTable(defaults) };
}

/** The same comparison on the workload whose run times follow the input (`mixedShapes`). */
function mixedShapesTable(defaults: PollIntervals): Record<string, string>[] {
  const fixedCurve = Array.from({ length: 32 }, (_, step) => 500 + 500 * step).map((ms) =>
    summarise(
      `fixed ${ms / 1000} s`,
      simulateFixed(() => ms, mixedShapes),
    ),
  );
  // Learning as if the run time did not follow the input: every job given the same work.
  const sizeBlind = { durations: mixedShapes.durations, works: uniformShape.works };
  const rows = [
    summarise(
      "pixazo-ltx default, learning (run times at the default size, scaled to each job)",
      simulateSdk(defaults, "learning", mixedShapes),
    ),
    summarise(
      "pixazo-ltx default, learning, size-blind (every job taken as the same size)",
      simulateSdk(defaults, "learning", sizeBlind),
    ),
    summarise(
      "pixazo-ltx default on the Pixazo gateway, first jobs (prior only)",
      simulateSdk(defaults, "prior", mixedShapes),
    ),
    summarise("pixazo-ltx, nothing known", simulateSdk(defaults, "plain", mixedShapes)),
    summarise(
      "fixed 5 s (the reference's advice)",
      simulateFixed(() => 5_000, mixedShapes),
    ),
  ];
  return rows.map((row) => ({
    schedule: row.schedule,
    "status requests / job": row.requests.toFixed(1),
    "mean delay": seconds(row.mean),
    "p95 delay": seconds(row.p95),
    "requests vs fixed at same mean delay": (row.requests / fixedAt(fixedCurve, row.mean)).toFixed(2),
  }));
}
