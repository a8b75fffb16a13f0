/**
 * Fleet bench: 1,000 jobs through the fleet example (examples/fleet) on a real redis-server and
 * BullMQ: 4 worker processes, 2 receivers behind a round-robin load balancer, the fake gateway
 * delivering a fifth of the callbacks twice and losing one in twenty, one worker killed once 40 %
 * of the videos are saved. Jobs run 1–4 s on the gateway.
 *
 *   npm run bench:fleet            (JOBS=1000 by default; needs redis-server on the PATH)
 */
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { runFleet } from "../examples/fleet/run.js";
import { startRedisServer } from "../test/support/redis-server.js";
import { table } from "./lib/report.js";

const JOBS = Number(process.env.JOBS ?? 1_000);

/** One run with a worker killed, one without. */
export async function fleet(): Promise<Record<string, string>[]> {
  const server = await startRedisServer();
  try {
    const rows: Record<string, string>[] = [];
    for (const killWorkerAt of [undefined, 0.4]) {
      const report = await runFleet({
        redisUrl: server.url,
        jobs: JOBS,
        workers: 4,
        receivers: 2,
        killWorkerAt,
        duplicated: 0.2,
        lost: 0.05,
        jobMs: [1_000, 4_000],
        timeoutMs: 15 * 60_000,
      });
      rows.push({
        run: killWorkerAt === undefined ? "4 workers" : "4 workers, one killed at 40 %",
        jobs: String(report.jobs),
        "callbacks doubled / lost": `${report.callbacksDuplicated} / ${report.callbacksLost}`,
        "jobs lost": String(report.lost),
        "held (submit may have reached the gateway)": String(report.held),
        "submitted twice": String(report.submittedTwice),
        "completed twice": String(report.completedTwice),
        "status reads / job": report.statusReadsPerJob?.toFixed(2) ?? "",
        "wall time": `${(report.wallMs / 1000).toFixed(1)} s`,
        "ideal (gateway's last job end)": `${((report.idealMs ?? 0) / 1000).toFixed(1)} s`,
        "wall / ideal": (report.wallMs / (report.idealMs ?? report.wallMs)).toFixed(2),
      });
    }
    return rows;
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}\n`);
  console.log(table(await fleet()));
}
