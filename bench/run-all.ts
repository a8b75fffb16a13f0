/**
 * `npm run bench`: one markdown table per question, every figure against a baseline measured in
 * the same run, medians of several runs, with the machine on top.
 */
import { batch } from "./batch.js";
import { coldStart } from "./cold-start.js";
import { download } from "./download.js";
import { fleet } from "./fleet.js";
import { machine, table } from "./lib/report.js";
import { overhead } from "./overhead.js";
import { polling } from "./polling.js";
import { redisOutage } from "./redis-outage.js";
import { scale } from "./scale.js";
import { webhookFlood } from "./webhook-flood.js";

console.log(`# pixazo-ltx benchmarks\n\n${machine()}, ${new Date().toISOString().slice(0, 10)}\n`);

console.log("## 1. Overhead against the limit (submit + status round trips, 16 at once, vs raw undici.request)\n");
console.log(`${table(await overhead())}\n`);

const poll = polling();
console.log("## 2. Polling efficiency (20,000 simulated jobs of 20 s to 5 min, log-uniform, virtual clock)\n");
console.log(`${table(poll.main)}\n`);
console.log("Requests against mean delay, the SDK's schedule at several settings and fixed intervals:\n");
console.log(`${table(poll.curve)}\n\n${poll.verdict}\n`);
console.log("Run times that follow the input (frames × pixels, log-normal noise, queueing, 1.5× slower halfway):\n");
console.log(`${table(poll.mixed)}\n`);

console.log("## 3. Scale (10,000 concurrent jobs of 20–60 s, default options, fake gateway in its own process)\n");
console.log(`${table(await scale())}\n`);

console.log("## 4. Cold start and size (import in a fresh process; esbuild bundle of one generation call)\n");
console.log(`${table(await coldStart())}\n`);

console.log("## 5. Download (loopback server to disk, vs curl)\n");
console.log(`${table(await download())}\n`);

console.log("## 6. Webhook flood (100,000 POSTs, 64 at a time, to a receiver with verify in its own process)\n");
console.log(`${table(await webhookFlood())}\n`);

console.log("## 7. Fleet (1,000 jobs, 4 worker processes, 2 receivers, BullMQ on a real redis-server)\n");
console.log(`${table(await fleet())}\n`);

console.log("## 8. Redis outage (100,000 waits' subscriptions on one RedisJobEvents while redis-server is down)\n");
console.log(`${table(await redisOutage())}\n`);

console.log(
  "## 9. Batch (1,000 lines through `pixazo-ltx batch`, concurrency 100, jobs of 2–6 s, fake gateway in its own process)\n",
);
const batched = await batch();
console.log(`${table(batched.rows)}\n\n${batched.verdict}\n`);
