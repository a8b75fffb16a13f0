import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express5 from "express5";
import { afterEach } from "vitest";
import { Pixazo, type PixazoOptions } from "../../src/index.js";
import { type FakeGateway, type FakeGatewayOptions, startFakeGateway } from "../../src/testing/index.js";

export const TEST_KEY = "sk-test-0123456789abcdef-SECRET";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test, after those registered later. */
export function afterThisTest(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** A fake gateway and a client pointed at it, with fast polling; both closed after the test. */
export async function setup(
  clientOptions: PixazoOptions = {},
  gatewayOptions: FakeGatewayOptions = {},
): Promise<{ gateway: FakeGateway; client: Pixazo }> {
  const gateway = await startFakeGateway(gatewayOptions);
  const client = new Pixazo({
    apiKey: TEST_KEY,
    baseUrl: gateway.url,
    pollIntervalMs: 10,
    maxPollIntervalMs: 20,
    ...clientOptions,
  });
  cleanups.push(
    () => gateway.close(),
    () => client.close(),
  );
  return { gateway, client };
}

/** A bare loopback server for cases the fake gateway does not model; closed after the test. */
export async function rawServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; hits: IncomingMessage[] }> {
  const hits: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    hits.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, server, hits };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once `predicate` holds, checking on every turn of the event loop. */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Captures the rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** Captures what a function that must throw throws. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the function to throw, but it returned");
}

/** Lets pending timers and sockets run, so "nothing more happened" can be asserted. */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const PROMPT = { prompt: "A paper boat drifting down a rainy street" };

/** One request as a loopback server received it: method, path, headers and the raw body text. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/**
 * A loopback server that reads each request whole, records it, then lets `respond` answer it
 * (with the request's index, 0 for the first); closed after the test.
 */
export async function recordingServer(
  respond: (res: ServerResponse, received: ReceivedRequest, index: number) => void,
): Promise<{ url: string; received: ReceivedRequest[] }> {
  const received: ReceivedRequest[] = [];
  const { url } = await rawServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      respond(res, request, received.length - 1);
    });
  });
  return { url, received };
}

/** Answers with a JSON body. */
export function replyJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** A submit's documented 202 for `requestId`. */
export function accepted(res: ServerResponse, requestId = "ltx-2-3-text-to-video_job-1"): void {
  replyJson(res, 202, { request_id: requestId, status: "QUEUED", polling_url: `/v2/requests/status/${requestId}` });
}

/**
 * A receiver's Node handler mounted after Express 5's `express.json(options)` on 127.0.0.1, closed
 * after the test; returns the URL to POST to.
 */
export async function behindExpressJson(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options?: Parameters<typeof express5.json>[0],
): Promise<string> {
  const app = express5();
  app.use(express5.json(options));
  app.post("/hooks", handler);
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  afterThisTest(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
}
