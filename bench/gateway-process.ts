/**
 * The fake gateway in a process of its own, so the client's memory and CPU are measured alone.
 * Talks to the bench over IPC: "stats", "jobs", "storm" (a 429 storm), "calm", "close".
 */
import { startFakeGateway } from "../src/testing/index.js";

const durations = { min: Number(process.env.JOB_MIN_MS ?? 20_000), max: Number(process.env.JOB_MAX_MS ?? 60_000) };
const gateway = await startFakeGateway();
// Jobs of a realistic spread, on wall time: the SDK cannot finish them faster by polling more.
for (let index = 0; index < Number(process.env.JOBS ?? 10_000) * 2; index++) {
  gateway.nextJob({ durationMs: durations.min + Math.random() * (durations.max - durations.min), queuedMs: 500 });
}

let stormStart = 0;
let stormRequests = 0;
process.on("message", (message: { type: string; seconds?: number; rate?: number }) => {
  if (message.type === "stats") {
    // When the last job could have finished at the earliest: its submit plus its duration.
    const idealEnd = Math.max(
      ...[...gateway.jobs.values()].map((job) => job.createdAt.getTime() + (job.script.durationMs ?? 0)),
    );
    process.send?.({
      type: "stats",
      submits: gateway.requestsOf("submit").length,
      statusReads: gateway.requestsOf("status").length,
      peakConnections: gateway.connections.peak,
      totalConnections: gateway.connections.total,
      idealEnd,
      stormRequests,
    });
  } else if (message.type === "jobs") {
    // Every job in the order it was made: what it was asked for, and how long it was scripted to take.
    process.send?.({
      type: "jobs",
      jobs: [...gateway.jobs.values()].map((job) => ({
        requestId: job.requestId,
        prompt: (job.input as { prompt?: string }).prompt,
        durationMs: job.script.durationMs ?? 0,
      })),
    });
  } else if (message.type === "storm") {
    stormStart = gateway.requests.length;
    gateway.inject({
      on: "any",
      rate: message.rate ?? 0.5,
      fault: {
        kind: "response",
        status: 429,
        headers: { "retry-after": String(message.seconds ?? 1) },
        body: { statusCode: 429, message: "Rate limit is exceeded." },
      },
    });
  } else if (message.type === "calm") {
    gateway.clearFaults();
    stormRequests = gateway.requests.length - stormStart;
  } else if (message.type === "close") {
    void gateway.close().then(() => process.exit(0));
  }
});
process.send?.({ type: "ready", url: gateway.url });
