/**
 * Question 2: polling efficiency, on a virtual clock. Jobs with durations spread log-uniformly
 * from 20 s to 5 min are waited on with the SDK's schedule and with the fixed schedules of other
 * clients; for each: status requests per job and how late the caller learns of completion.
 */
import type * as Sdk from "../src/index.js";

// The built package, as users get it; its types come from the source it is built from.
const distEntry: string = "../dist/index.js";
const { pollDelayMs, WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS, WEBHOOK_FALLBACK_POLL_INTERVAL_MS } = (await import(
  distEntry
)) as typeof Sdk;

import { percentile } from "./lib/report.js";

const JOBS = 20_000;
/** Callback delivery latency assumed for the webhook-backed wait. */
const CALLBACK_LATENCY_MS = 300;

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
const durations = Array.from({ length: JOBS }, () => 20_000 * (300_000 / 20_000) ** random());

type Schedule = (pollIndex: number) => number;

/** Polls at the schedule's times until one sees the job done: requests and lateness. */
function simulate(schedule: Schedule, duration: number): { requests: number; delay: number } {
  let time = 0;
  for (let index = 0; ; index++) {
    time += schedule(index);
    if (time >= duration) return { requests: index + 1, delay: time - duration };
  }
}

/** The webhook-backed wait: fallback polls until the callback lands, plus one verification read. */
function simulateWebhook(duration: number): { requests: number; delay: number } {
  const arrival = duration + CALLBACK_LATENCY_MS;
  const intervals = {
    pollIntervalMs: WEBHOOK_FALLBACK_POLL_INTERVAL_MS,
    maxPollIntervalMs: WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS,
  };
  let time = 0;
  let polls = 0;
  for (let index = 0; ; index++) {
    time += pollDelayMs(index, intervals, random);
    if (time >= arrival) break;
    polls += 1;
    if (time >= duration) return { requests: polls, delay: time - duration };
  }
  return { requests: polls + 1, delay: CALLBACK_LATENCY_MS };
}

interface Row {
  schedule: string;
  requests: number;
  mean: number;
  p95: number;
}

function measure(name: string, run: (duration: number) => { requests: number; delay: number }): Row {
  const outcomes = durations.map(run);
  const delays = outcomes.map((o) => o.delay);
  return {
    schedule: name,
    requests: outcomes.reduce((sum, o) => sum + o.requests, 0) / JOBS,
    mean: delays.reduce((sum, d) => sum + d, 0) / JOBS,
    p95: percentile(delays, 0.95),
  };
}

const sdk =
  (pollIntervalMs: number, maxPollIntervalMs: number): Schedule =>
  (index) =>
    pollDelayMs(index, { pollIntervalMs, maxPollIntervalMs }, random);
const fixed =
  (ms: number): Schedule =>
  () =>
    ms;

export function polling(): { main: Record<string, string>[]; curve: Record<string, string>[]; verdict: string } {
  const rows = {
    sdk: measure("pixazo-ltx default (1 s, then 2 s ×1.5 → 8 s, ±20%)", (d) => simulate(sdk(2_000, 8_000), d)),
    fal: measure("fixed 0.5 s (fal, Replicate)", (d) => simulate(fixed(500), d)),
    runway: measure("fixed 6 s ± 1.5 s (Runway)", (d) => simulate(() => 4_500 + 3_000 * random(), d)),
    reference: measure("fixed 5 s (the reference's advice)", (d) => simulate(fixed(5_000), d)),
    webhook: measure(
      `pixazo-ltx with webhooks (callback after ${CALLBACK_LATENCY_MS} ms, fallback polling)`,
      simulateWebhook,
    ),
  };
  const format = (row: Row): Record<string, string> => ({
    schedule: row.schedule,
    "status requests / job": row.requests.toFixed(1),
    "mean delay": `${(row.mean / 1000).toFixed(2)} s`,
    "p95 delay": `${(row.p95 / 1000).toFixed(2)} s`,
  });
  const baseline = rows.reference.requests;
  const main = Object.values(rows).map((row) => ({
    ...format(row),
    "requests vs 5 s fixed": (row.requests / baseline).toFixed(2),
  }));

  // The curve: requests against mean delay for the SDK's schedule and fixed ones, over settings.
  const sdkCurve = [1_000, 2_000, 3_000, 4_000, 6_000].map((base) =>
    measure(`pixazo-ltx ${base / 1000} s → ${(4 * base) / 1000} s`, (d) => simulate(sdk(base, 4 * base), d)),
  );
  const fixedCurve = [2_000, 4_000, 6_000, 8_000, 12_000, 16_000].map((ms) =>
    measure(`fixed ${ms / 1000} s`, (d) => simulate(fixed(ms), d)),
  );
  const curve = [...sdkCurve, ...fixedCurve].sort((a, b) => a.mean - b.mean).map(format);

  // Fixed schedule requests at the SDK's mean delay, by linear interpolation along the fixed curve.
  const at = rows.sdk.mean;
  const [first, last] = [fixedCurve[0] as Row, fixedCurve.at(-1) as Row];
  const lower = [...fixedCurve].reverse().find((row) => row.mean <= at) ?? first;
  const upper = fixedCurve.find((row) => row.mean >= at) ?? last;
  const share = upper.mean === lower.mean ? 0 : (at - lower.mean) / (upper.mean - lower.mean);
  const fixedAtSameDelay = lower.requests + share * (upper.requests - lower.requests);
  const verdict =
    `At the default's mean delay (${(at / 1000).toFixed(2)} s) a fixed schedule needs ${fixedAtSameDelay.toFixed(1)} ` +
    `requests per job; the default needs ${rows.sdk.requests.toFixed(1)} ` +
    `(${((rows.sdk.requests / fixedAtSameDelay - 1) * 100).toFixed(0)}%).`;
  return { main, curve, verdict };
}
