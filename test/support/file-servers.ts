/**
 * Real static file servers, as media hosts are in the wild, each started on 127.0.0.1 serving
 * one folder and stopped after the test: `http-server`, `serve` (its own command, in a child
 * process) and Express's `express.static` (the `send` package).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { connect } from "node:net";
import express from "express";
import { afterThisTest, closedPort } from "./gateway.js";

const require = createRequire(import.meta.url);

/** A running file server: its base URL. */
export interface FileServer {
  readonly name: string;
  readonly url: string;
}

async function listening(server: Server): Promise<string> {
  if (!server.listening) await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${address.port}`;
}

/** `http-server` 14, as `npx http-server` runs it (its default caching turned off). */
export async function startHttpServer(root: string): Promise<FileServer> {
  const { createServer } = require("http-server") as {
    createServer(options: { root: string; cache: number; showDir: boolean }): { server: Server };
  };
  const instance = createServer({ root, cache: -1, showDir: false });
  instance.server.listen(0, "127.0.0.1");
  return { name: "http-server", url: await listening(instance.server) };
}

/** Express 4's `express.static`, which serves files with `send`. */
export async function startExpressStatic(root: string): Promise<FileServer> {
  const app = express();
  app.use(express.static(root));
  const server = app.listen(0, "127.0.0.1");
  return { name: "express.static", url: await listening(server) };
}

/** `serve` 14, started as its command line starts it, with its defaults (compression on). */
export async function startServe(root: string): Promise<FileServer> {
  const port = await closedPort();
  const main = require.resolve("serve/build/main.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      "--listen",
      `tcp://127.0.0.1:${port}`,
      "--no-clipboard",
      "--no-request-logging",
      "--no-port-switching",
      root,
    ],
    { stdio: "ignore" },
  );
  afterThisTest(async () => {
    if (child.exitCode === null) {
      child.kill();
      await once(child, "exit");
    }
  });
  await untilAccepting(port, child);
  return { name: "serve", url: `http://127.0.0.1:${port}` };
}

/** Resolves once something accepts connections on the port; rejects if the child exits first. */
async function untilAccepting(port: number, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("serve did not start listening");
}
