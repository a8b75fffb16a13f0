import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import type { JobStatus } from "../../src/index.js";

/** A real `redis-server` on a free loopback port, without persistence, for one test file. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop()`), empty. */
  start(): Promise<void>;
}

function redisServerBinary(): string {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "redis-server is not installed: the Redis tests run against the real server (apt-get install redis-server; .ci/run installs it)",
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Resolves once the server answers PING on `port`. */
async function answersPing(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("error", () => resolve(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `redis-server` on 127.0.0.1 with no RDB or AOF files; `stop()` ends it, `start()` brings it back. */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary();
  const port = await freePort();
  let exited: Promise<void> = Promise.resolve();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    child = started;
    exited = new Promise<void>((resolve) => started.once("exit", () => resolve()));
    await answersPing(port, Date.now() + 10_000);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      child?.kill("SIGTERM");
      await exited;
    },
  };
}

/** A completed status object of `requestId`, as the gateway sends one, for events to publish. */
export function completed(requestId: string): JobStatus {
  return {
    request_id: requestId,
    status: "COMPLETED",
    model_id: "ltx-2-3-text-to-video",
    error: null,
    output: { media_url: ["https://cdn.example/v.mp4"], media_type: "video/mp4" },
    created_at: "2026-11-26T10:00:00.000Z",
    updated_at: "2026-11-26T10:01:00.000Z",
    completed_at: "2026-11-26T10:01:00.000Z",
  };
}
