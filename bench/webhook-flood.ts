/**
 * Question 6: webhooks under a flood. A receiver with `verify` (in its own process) takes
 * 100,000 POSTs at 64 at a time: forgeries naming distinct jobs, forgeries repeating the
 * deliveries of 20 real jobs, oversized bodies; and 200 connections whose bodies stop coming
 * (closed after the default 10 s `bodyTimeoutMs`). Reported: its RSS
 * as the flood goes on, status reads made with the user's key per 1,000 forged POSTs, and POSTs
 * answered per second.
 */
import { type ChildProcess, fork } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const TOTAL = Number(process.env.FLOOD_POSTS ?? 100_000);
const CONCURRENCY = 64;

interface Stats {
  statusReads: number;
  events: number;
  errors: number;
  rss: number;
  peakRss: number;
}

function ask(child: ChildProcess): Promise<Stats> {
  return new Promise((resolve) => {
    child.once("message", (message: Stats) => resolve(message));
    child.send({ type: "stats" });
  });
}

/** One POST of the flood: which kind depends on its index. */
function bodyFor(index: number, genuine: string[]): string {
  const kind = index % 20;
  if (kind === 0) return JSON.stringify({ request_id: "x", status: "COMPLETED", padding: "p".repeat(70 * 1024) });
  if (kind < 4) return JSON.stringify({ request_id: genuine[index % genuine.length], status: "COMPLETED" });
  // A distinct forged job per POST, with as long an id as is accepted.
  const id = `ltx-2-3-text-to-video_${String(index).padStart(8, "0")}${"f".repeat(220)}`;
  return JSON.stringify({
    request_id: id,
    status: "COMPLETED",
    output: { media_url: ["https://evil.example/x.mp4"], media_type: "video/mp4" },
  });
}

export async function webhookFlood(): Promise<Record<string, string>[]> {
  const child = fork(fileURLToPath(new URL("./webhook-receiver-process.ts", import.meta.url)), {
    execArgv: ["--import", "tsx", "--expose-gc"],
  });
  const ready = await new Promise<{ port: number; genuine: string[] }>((resolve) =>
    child.once("message", (message: { port: number; genuine: string[] }) => resolve(message)),
  );
  const pool = new Pool(`http://127.0.0.1:${ready.port}`, { connections: CONCURRENCY });
  const before = await ask(child);
  const rows: Record<string, string>[] = [];
  const started = performance.now();
  let next = 0;
  let answered = 0;
  const checkpoints = new Set([TOTAL / 10, TOTAL / 2, TOTAL]);
  // Bodies that stop coming: headers and a few bytes, then nothing, on 200 connections.
  let slowClosed = 0;
  const slow = Array.from({ length: 200 }, () => {
    const socket = connect(ready.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.resume(); // read the answer, so the close is seen
    socket.on("close", () => {
      slowClosed += 1;
    });
    socket.write('POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"request_id":');
    return socket;
  });
  const worker = async () => {
    while (next < TOTAL) {
      const index = next++;
      const { body } = await pool.request({ path: "/hooks", method: "POST", body: bodyFor(index, ready.genuine) });
      await body.dump();
      answered += 1;
      if (checkpoints.has(answered)) {
        const at = answered;
        const seconds = (performance.now() - started) / 1000;
        const stats = await ask(child);
        const forged = Math.round(at * 0.8);
        rows.push({
          "POSTs so far": at.toLocaleString("en-US"),
          "receiver RSS after GC": `${Math.round(stats.rss / 1024 / 1024)} MiB`,
          "peak RSS": `${Math.round(stats.peakRss / 1024 / 1024)} MiB`,
          "status reads (with the user's key)": String(stats.statusReads - before.statusReads),
          "reads per 1,000 forged POSTs": ((1000 * (stats.statusReads - before.statusReads)) / forged).toFixed(1),
          "POSTs answered per second": Math.round(at / seconds).toLocaleString("en-US"),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // The slow bodies' time limit (10 s) may outlast the flood.
  while (slowClosed < slow.length && performance.now() - started < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  rows.unshift({
    "POSTs so far": "0",
    "receiver RSS after GC": `${Math.round(before.rss / 1024 / 1024)} MiB`,
    "peak RSS": `${Math.round(before.peakRss / 1024 / 1024)} MiB`,
    "status reads (with the user's key)": "0",
    "reads per 1,000 forged POSTs": "",
    "POSTs answered per second": "",
  });
  rows.push({ "POSTs so far": `slow bodies closed by the receiver: ${slowClosed} of ${slow.length}` });
  await pool.close();
  for (const socket of slow) socket.destroy();
  child.send({ type: "close" });
  return rows;
}
