/**
 * Runs a whole fleet on this machine: receivers behind a round-robin load balancer, worker
 * processes, a results consumer and a producer, all sharing one Redis, against the real gateway
 * with PIXAZO_API_KEY or else a fake one that delivers some callbacks twice and loses others.
 * Optionally kills a worker midway. Then counts what came out.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run fleet        (JOBS, WORKERS, RECEIVERS, KILL_WORKER)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { type FakeGateway, startFakeGateway } from "pixazo-ltx/testing";
import { roundRobinProxy } from "./proxy.js";
import { names } from "./settings.js";

export interface FleetOptions {
  readonly redisUrl: string;
  readonly jobs: number;
  readonly workers: number;
  readonly receivers: number;
  /** Kill (SIGKILL) the first worker once this share of the jobs is saved; none when undefined. */
  readonly killWorkerAt?: number | undefined;
  /** Fake gateway only: share of jobs whose callback is delivered twice, and lost. */
  readonly duplicated?: number | undefined;
  readonly lost?: number | undefined;
  /** Fake gateway only: run time of each job, ms, uniform between the two. */
  readonly jobMs?: readonly [number, number] | undefined;
  /** Give up after this long. */
  readonly timeoutMs?: number | undefined;
}

export interface FleetReport {
  readonly jobs: number;
  readonly saved: number;
  /** Neither saved nor held: the figure that must be 0. */
  readonly lost: number;
  /** Held because a submit may have reached the gateway without its request_id being kept. */
  readonly held: number;
  /** Queue jobs that failed for good (the held ones among them). */
  readonly failed: number;
  /** Jobs the gateway received more than one submit for (fake gateway: counted there). */
  readonly submittedTwice: number;
  /** Jobs whose video was saved more than once. */
  readonly completedTwice: number;
  readonly statusReadsPerJob: number | undefined;
  readonly callbacksDuplicated: number | undefined;
  readonly callbacksLost: number | undefined;
  readonly wallMs: number;
  /** From the first submit to the gateway's last job end (fake gateway only). */
  readonly idealMs: number | undefined;
  readonly workerKilled: boolean;
  /** Where the results consumer saved the videos. */
  readonly outDir: string;
}

const here = fileURLToPath(new URL(".", import.meta.url));

/** Starts `examples/fleet/<role>.ts` as a process; resolves once it printed `ready` (its first line). */
function startRole(role: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, `${role}.ts`)], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
    child.stdout?.once("data", (chunk: Buffer) => resolve({ child, line: chunk.toString() }));
  });
}

/** Fails fast, with what to do, when nothing answers at `url` (ioredis would retry forever). */
async function checkRedis(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on("error", () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new Error(
      `no Redis answers at ${url} (${error instanceof Error ? error.message : String(error)}): start one, e.g. redis-server --port 6390 --save "", and set REDIS_URL`,
    );
  } finally {
    probe.disconnect();
  }
}

export async function runFleet(options: FleetOptions): Promise<FleetReport> {
  await checkRedis(options.redisUrl);
  const run = `fleet-${process.pid}-${Date.now()}`;
  const queues = names(run);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  let gateway: FakeGateway | undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: options.redisUrl,
    FLEET_RUN: run,
    FLEET_OUT_DIR: mkdtempSync(join(tmpdir(), "pixazo-fleet-")),
  };
  if (!process.env.PIXAZO_API_KEY) {
    gateway = await startFakeGateway();
    const [min, max] = options.jobMs ?? [1_000, 4_000];
    for (let index = 0; index < options.jobs; index++) {
      // Spread evenly, not drawn at random: every run has its share of doubled and lost callbacks.
      const draw = (index + 0.5) / options.jobs;
      gateway.nextJob({
        durationMs: min + Math.random() * (max - min),
        deliveries: { copies: draw < (options.duplicated ?? 0) ? 2 : 1, lose: 1 - draw < (options.lost ?? 0) },
      });
    }
    Object.assign(env, {
      PIXAZO_API_KEY: "fleet-example-key",
      PIXAZO_BASE_URL: gateway.url,
      // The fake's jobs take seconds: pace the prior and the fallback reads to match.
      FLEET_POLL_INTERVAL_MS: "100",
      FLEET_FALLBACK_CAP_MS: "2000",
      // Hundreds of jobs end each second here: each receiver verifies up to 200 a second.
      FLEET_VERIFY_READS_PER_SECOND: "200",
    });
  }
  const children: ChildProcess[] = [];
  try {
    const receivers = await Promise.all(Array.from({ length: options.receivers }, () => startRole("receiver", env)));
    children.push(...receivers.map(({ child }) => child));
    const ports = receivers.map(({ line }) => Number(/listening (\d+)/.exec(line)?.[1]));
    const proxy = await roundRobinProxy(ports);
    env.FLEET_WEBHOOK_URL = proxy.url;
    const workers = await Promise.all(Array.from({ length: options.workers }, () => startRole("worker", env)));
    children.push(...workers.map(({ child }) => child));
    children.push((await startRole("results", env)).child);

    const started = Date.now();
    const videos = new Queue(queues.videos, { connection: redis });
    await videos.addBulk(
      Array.from({ length: options.jobs }, (_, index) => ({
        name: "video",
        data: { prompt: `fleet job ${index}` },
        opts: { jobId: `job-${index}`, attempts: 3, backoff: { type: "fixed", delay: 500 } },
      })),
    );
    let workerKilled = false;
    let saved = 0;
    let held = 0;
    let failed = 0;
    const deadline = started + (options.timeoutMs ?? 10 * 60_000);
    while (Date.now() < deadline) {
      saved = await redis.hlen(queues.saved);
      held = await redis.scard(queues.held);
      failed = await videos.getFailedCount();
      if (saved + Math.max(held, failed) >= options.jobs) break;
      if (!workerKilled && options.killWorkerAt !== undefined && saved >= options.jobs * options.killWorkerAt) {
        workers[0]?.child.kill("SIGKILL");
        workerKilled = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const wallMs = Date.now() - started;
    const savedCounts = Object.values(await redis.hgetall(queues.saved)).map(Number);
    let submittedTwice = Object.values(await redis.hgetall(queues.submitted)).filter(
      (count) => Number(count) > 1,
    ).length;
    if (gateway) {
      // The gateway's own record: submits per prompt.
      const perPrompt = new Map<string, number>();
      for (const request of gateway.requestsOf("submit")) {
        const prompt = String((request.body as { prompt?: unknown }).prompt);
        perPrompt.set(prompt, (perPrompt.get(prompt) ?? 0) + 1);
      }
      submittedTwice = [...perPrompt.values()].filter((count) => count > 1).length;
    }
    const jobEnds = gateway ? [...gateway.jobs.values()].map((job) => job.completedAt?.getTime() ?? 0) : [];
    await proxy.server.close();
    await videos.obliterate({ force: true });
    await new Queue(queues.downloads, { connection: redis }).obliterate({ force: true });
    return {
      jobs: options.jobs,
      saved,
      lost: options.jobs - saved - held,
      held,
      failed,
      submittedTwice,
      completedTwice: savedCounts.filter((count) => count > 1).length,
      statusReadsPerJob: gateway ? gateway.requestsOf("status").length / options.jobs : undefined,
      callbacksDuplicated: gateway
        ? [...gateway.jobs.values()].filter((job) => (job.script.deliveries?.copies ?? 1) > 1).length
        : undefined,
      callbacksLost: gateway
        ? [...gateway.jobs.values()].filter((job) => job.script.deliveries?.lose).length
        : undefined,
      wallMs,
      idealMs: jobEnds.length > 0 ? Math.max(...jobEnds) - started : undefined,
      workerKilled,
      outDir: String(env.FLEET_OUT_DIR),
    };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((resolve) => child.once("exit", resolve)),
      ),
    );
    // Everything the run wrote under its name: counts, delivery keys, kept events.
    for await (const keys of redis.scanStream({ match: `${run}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
    await redis.quit();
    await gateway?.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await runFleet({
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    jobs: Number(process.env.JOBS ?? 40),
    workers: Number(process.env.WORKERS ?? 2),
    receivers: Number(process.env.RECEIVERS ?? 2),
    killWorkerAt: process.env.KILL_WORKER ? Number(process.env.KILL_WORKER) : undefined,
    duplicated: 0.2,
    lost: 0.05,
  }).catch((error: unknown) => {
    console.error(`fleet: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  console.log(report);
}
