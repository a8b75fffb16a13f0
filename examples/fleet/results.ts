/**
 * The results consumer: saves each finished video once, named by its queue job id, and counts
 * what it saved in Redis (a job saved twice would show there).
 */
import { join } from "node:path";
import { Worker } from "bullmq";
import type { CompletedJob } from "pixazo-ltx";
import { fleetSettings, gatewayClient, names, redisConnection } from "./settings.js";

const settings = fleetSettings();
const queues = names(settings.run);
const client = gatewayClient(settings);
const counts = redisConnection(settings);

const worker = new Worker<{ jobId: string; status: CompletedJob }>(
  queues.downloads,
  async (job) => {
    const saved = await client.download(job.data.status, join(settings.outDir, `${job.data.jobId}.mp4`));
    await counts.hincrby(queues.saved, job.data.jobId, 1);
    return saved.path;
  },
  { connection: redisConnection(settings), concurrency: 8 },
);
process.on("SIGTERM", async () => {
  await worker.close();
  await client.close();
  process.exit(0);
});
console.log("results ready");
