/**
 * A worker process: takes prompts from the queue, submits each with the fleet's webhook, keeps
 * the `request_id` with the BullMQ job before anything else, and waits for the job through Redis
 * (whichever receiver got the callback), polling only for a lost one. A job taken over from a
 * worker that died resumes its wait instead of submitting again.
 */
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { ConnectionError, SubmitUncertainError } from "pixazo-ltx";
import { RedisJobEvents, RedisRateLimitPause } from "pixazo-ltx/redis";
import { fleetSettings, gatewayClient, names, redisConnection } from "./settings.js";

/** What the producer puts on the queue, and what the worker adds to it as the job goes. */
export interface VideoJobData {
  readonly prompt: string;
  /** Set just before the submit: a worker that finds it without `requestId` cannot know whether the gateway got it. */
  submitStarted?: boolean;
  /** Set as soon as the submit answered: from here on the job is only ever waited for. */
  requestId?: string;
}

const settings = fleetSettings();
const queues = names(settings.run);
const commands = redisConnection(settings);
// One key, many workers: a 429 any of them meets pauses them all.
const pause = new RedisRateLimitPause({ redis: commands, channel: `${queues.prefix}rate-limit-pause` });
const client = gatewayClient(settings, pause);
const events = new RedisJobEvents({ redis: commands, keyPrefix: queues.prefix });
const downloads = new Queue(queues.downloads, { connection: redisConnection(settings) });

const worker = new Worker<VideoJobData>(
  queues.videos,
  async (job) => {
    const jobId = job.id ?? job.name;
    let requestId = job.data.requestId;
    if (requestId === undefined) {
      if (job.data.submitStarted) {
        // An earlier attempt died between sending the submit and keeping its answer: a job may
        // exist and be charged. Resubmitting could make it twice; a person decides.
        await commands.sadd(queues.held, jobId);
        throw new UnrecoverableError("the submit may have reached the gateway; held, not resubmitted");
      }
      await job.updateData({ ...job.data, submitStarted: true });
      try {
        const submitted = await client.submit(
          "ltx-2-3-text-to-video",
          { prompt: job.data.prompt },
          { webhook: { url: settings.webhookUrl } },
        );
        requestId = submitted.request_id;
      } catch (error) {
        const mayExist =
          error instanceof SubmitUncertainError || (error instanceof ConnectionError && error.mayHaveReachedGateway);
        if (mayExist) {
          await commands.sadd(queues.held, jobId);
          throw new UnrecoverableError(`the submit may have reached the gateway: ${String(error)}`);
        }
        // Provably not sent (or refused): nothing exists, so BullMQ's retry may submit again.
        await job.updateData({ ...job.data, submitStarted: false });
        throw error;
      }
      await commands.hincrby(queues.submitted, jobId, 1);
      await job.updateData({ ...job.data, requestId });
    }
    const done = await client.wait(requestId, {
      events,
      pollIntervalMs: settings.fallbackCapMs / 2,
      maxPollIntervalMs: settings.fallbackCapMs,
    });
    // One download per job id, however many times this line runs.
    await downloads.add("save", { jobId, status: done }, { jobId });
    return { requestId };
  },
  {
    connection: redisConnection(settings),
    concurrency: settings.concurrency,
    // A worker that dies leaves its jobs locked: they return to the queue once the lock lapses.
    lockDuration: 10_000,
    stalledInterval: 5_000,
  },
);

worker.on("failed", (job, error) => console.error(`job ${job?.id} failed: ${error.message}`));
process.on("SIGTERM", async () => {
  await worker.close();
  await events.close();
  await client.close();
  await pause.close();
  process.exit(0);
});
console.log("worker ready");
