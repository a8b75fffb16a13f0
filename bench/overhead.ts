/**
 * Question 1: the SDK's overhead against the limit. Submit + status round trips through the SDK
 * against a loopback server, versus raw undici.request making the same requests over the same
 * kind of pool. Reports throughput and CPU per round trip (medians), and their ratios: the median
 * of paired runs, with the lowest and highest pair in brackets to show how noisy the machine was.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import type * as Sdk from "../src/index.js";

// The built package, as users get it; its types come from the source it is built from.
const distEntry: string = "../dist/index.js";
const { Pixazo } = (await import(distEntry)) as typeof Sdk;

import { USER_AGENT } from "../src/gateway/exchange.js";
import { guard, median } from "./lib/report.js";

const ROUND_TRIPS = Number(process.env.ROUND_TRIPS ?? 3_000);
const CONCURRENCY = 16;
const RUNS = Number(process.env.RUNS ?? 10);
const PATH = "/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request";
const INPUT = {
  prompt: "A lighthouse in a storm, waves crashing, cinematic",
  duration: 6,
  resolution: "1080p",
} as const;

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL("./lib/loopback-server.mjs", import.meta.url)));
  return new Promise((resolve) =>
    child.once("message", (m: { port: number }) => resolve({ child, url: `http://127.0.0.1:${m.port}` })),
  );
}

/** Runs `roundTrip` ROUND_TRIPS times, CONCURRENCY at once; returns round trips per second and CPU µs per round trip. */
async function measure(roundTrip: () => Promise<void>): Promise<{ perSecond: number; cpuMicros: number }> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ROUND_TRIPS) {
        next += 1;
        await roundTrip();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: ROUND_TRIPS / seconds, cpuMicros: (cpu.user + cpu.system) / ROUND_TRIPS };
}

export async function overhead(): Promise<Record<string, string>[]> {
  const { child, url } = await startServer();
  const agent = new Agent({ keepAliveTimeout: 4_000, connections: CONCURRENCY });
  // Byte for byte the requests the SDK sends: the same headers on each, the same body.
  const headers = {
    accept: "application/json",
    "user-agent": USER_AGENT,
    "ocp-apim-subscription-key": "bench-key",
  };
  const submitHeaders = { ...headers, "content-type": "application/json", "cache-control": "no-cache" };
  const raw = async (): Promise<void> => {
    const submit = await request(`${url}${PATH}`, {
      method: "POST",
      headers: submitHeaders,
      body: JSON.stringify(INPUT),
      dispatcher: agent,
    });
    const { request_id } = (await submit.body.json()) as { request_id: string };
    const status = await request(`${url}/v2/requests/status/${request_id}`, { headers, dispatcher: agent });
    await status.body.json();
  };
  const client = new Pixazo({ apiKey: "bench-key", baseUrl: url, maxConnections: CONCURRENCY });
  const sdk = async (): Promise<void> => {
    const { request_id } = await client.submit("ltx-2-3-text-to-video", INPUT);
    await client.status(request_id);
  };

  // Warm both paths (JIT, sockets). Then measure in pairs, alternating which goes first, and take
  // each figure as a ratio within its pair: drift on a shared machine hits both halves alike.
  await measure(raw);
  await measure(sdk);
  const rawRuns: { perSecond: number; cpuMicros: number }[] = [];
  const sdkRuns: { perSecond: number; cpuMicros: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    if (run % 2 === 0) {
      rawRuns.push(await measure(raw));
      sdkRuns.push(await measure(sdk));
    } else {
      sdkRuns.push(await measure(sdk));
      rawRuns.push(await measure(raw));
    }
  }
  await client.close();
  await agent.close();
  child.send("close");

  const rawRate = median(rawRuns.map((r) => r.perSecond));
  const sdkRate = median(sdkRuns.map((r) => r.perSecond));
  const rawCpu = median(rawRuns.map((r) => r.cpuMicros));
  const sdkCpu = median(sdkRuns.map((r) => r.cpuMicros));
  /** The SDK's figure over raw undici's within each pair: median, then the lowest and highest pair. */
  const pairRatios = (figure: "perSecond" | "cpuMicros"): string => {
    const ratios = sdkRuns.map((r, run) => r[figure] / (rawRuns[run]?.[figure] ?? Number.NaN));
    return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  };
  const cpuRatio = median(sdkRuns.map((r, run) => r.cpuMicros / (rawRuns[run]?.cpuMicros ?? Number.NaN)));
  console.log(guard("CPU per round trip over raw undici.request", cpuRatio, "≤ 2.00", cpuRatio <= 2));
  return [
    {
      client: "raw undici.request (baseline)",
      "round trips / s": rawRate.toFixed(0),
      "CPU µs / round trip": rawCpu.toFixed(0),
      "throughput ratio": "1.00",
      "CPU ratio": "1.00",
    },
    {
      client: "pixazo-ltx submit + status",
      "round trips / s": sdkRate.toFixed(0),
      "CPU µs / round trip": sdkCpu.toFixed(0),
      "throughput ratio": pairRatios("perSecond"),
      "CPU ratio": pairRatios("cpuMicros"),
    },
  ];
}
