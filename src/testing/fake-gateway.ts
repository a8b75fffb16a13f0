import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { flattenHeaders } from "../internal/headers.js";
import { type FakeCdn, startFakeCdn } from "./fake-cdn.js";
import type { FakeFault, FaultRule, FaultTarget } from "./faults.js";
import type { FakeJob, FakeJobScript } from "./jobs.js";
import { type FakeGatewayState, gatewayRoutes } from "./routes.js";
import { SAMPLE_VIDEO } from "./sample-video.js";
import { type RecordedDelivery, WebhookQueue } from "./webhook-delivery.js";

/** Options of {@link startFakeGateway}. */
export interface FakeGatewayOptions {
  /**
   * The only key accepted; other keys get the gateway's 401.
   * @default undefined (any non-empty key is accepted)
   */
  apiKey?: string;
  /**
   * How submitted jobs behave unless `nextJob()` scripted them.
   * @default { queuedPolls: 1, processingPolls: 2, outcome: "COMPLETED" }
   */
  job?: FakeJobScript;
  /**
   * Port on 127.0.0.1.
   * @default 0 (a free port)
   */
  port?: number;
  /**
   * The media every completed job points to, served by the fake CDN.
   * @default a real 2-second 320×180 MP4 (SAMPLE_VIDEO)
   */
  media?: Uint8Array;
  /**
   * Values the fake takes beyond the reference's closed lists, per model and field: a gateway
   * that outgrew its documentation, for testing `uncheckedFields`.
   * @default {} (the reference's lists only)
   * @example
   * ```ts
   * startFakeGateway({ acceptedBeyondReference: { "ltx-2-video-api-581": { resolution: ["1440p"] } } });
   * ```
   */
  acceptedBeyondReference?: Readonly<Record<string, Readonly<Record<string, readonly unknown[]>>>>;
}

/** One request the fake gateway received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/v2/requests/status/…`. */
  readonly path: string;
  /** Headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON, the raw text when it is not JSON, `undefined` when empty. */
  readonly body: unknown;
  /** `"submit"` for a POST to a model path, `"status"` for a status read, else `"other"`. */
  readonly kind: "submit" | "status" | "other";
}

/** A running fake gateway. */
export interface FakeGateway {
  /** Base URL to give the client, e.g. `http://127.0.0.1:49152`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Jobs created by submits, by `request_id`. */
  readonly jobs: ReadonlyMap<string, FakeJob>;
  /** Every webhook callback made or dropped, in order. */
  readonly deliveries: readonly RecordedDelivery[];
  /**
   * The media host completed jobs point to, on its own origin (as the gateway's R2 CDN is):
   * its received requests, and faults to arm for downloads.
   */
  readonly cdn: FakeCdn;
  /** Scripts the next submitted job (call repeatedly to script several, in order). */
  nextJob(script: FakeJobScript): void;
  /** Arms a fault for the next matching request(s), or for a random fraction of them (`rate`). */
  inject(rule: FaultRule): void;
  /** Disarms every fault. */
  clearFaults(): void;
  /** Connections to the gateway: open now, the most open at once, and all accepted so far. */
  readonly connections: { readonly open: number; readonly peak: number; readonly total: number };
  /** Closes every keep-alive connection that is idle now, as a server or load balancer does. */
  dropIdleConnections(): void;
  /**
   * Stops listening for `ms` milliseconds: new connections are refused (ECONNREFUSED), open ones
   * stay. Resolves once it listens again.
   */
  refuseConnections(ms: number): Promise<void>;
  /** The recorded requests of one kind. */
  requestsOf(kind: RecordedRequest["kind"]): RecordedRequest[];
  /** Stops listening and drops every open connection, hanging ones included. */
  close(): Promise<void>;
}

/** Headers about this connection, not the request; a `Request` must not carry them. */
const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "content-length", "transfer-encoding"]);

function kindOf(method: string, path: string): RecordedRequest["kind"] {
  if (method === "GET" && path.includes("/v2/requests/status/")) return "status";
  if (method === "POST") return "submit";
  return "other";
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** A body that looks like the start of a status object. */
const PARTIAL_JSON = '{"request_id":"partial","status":"PROC';

function applyFault(fault: FakeFault, res: ServerResponse): void {
  switch (fault.kind) {
    case "reset":
    case "reset-before-read":
      res.socket?.destroy();
      return;
    case "hang":
      return;
    case "stall-body":
      res.writeHead(fault.status ?? 200, { "content-type": "application/json", "content-length": 1000 });
      res.write(PARTIAL_JSON);
      return;
    case "truncated-body":
      res.writeHead(fault.status ?? 200, { "content-type": "application/json", "content-length": 1000 });
      res.write(PARTIAL_JSON, () => res.socket?.destroySoon());
      return;
    case "response": {
      const isText = typeof fault.body === "string";
      const body = fault.body === undefined ? "" : isText ? (fault.body as string) : JSON.stringify(fault.body);
      res.writeHead(fault.status, {
        "content-type": isText ? "text/plain" : "application/json",
        ...fault.headers,
      });
      res.end(body);
      return;
    }
  }
}

/**
 * Starts a fake Pixazo gateway on 127.0.0.1: the seven LTX submit paths and the status endpoint,
 * answered by plain routes and served over real sockets, so the SDK's real HTTP stack runs.
 * Jobs move QUEUED → PROCESSING → outcome over successive status reads, or, when submitted with
 * a webhook, on the gateway's own clock with callbacks POSTed to the (loopback) webhook URL.
 * Faults can be armed per request; every request and callback is recorded.
 *
 * @example
 * ```ts
 * const gateway = await startFakeGateway();
 * const client = new Pixazo({ apiKey: "test-key", baseUrl: gateway.url, pollIntervalMs: 10 });
 * const job = await client.generate("ltx-2-3-text-to-video", { prompt: "a test" });
 * await gateway.close();
 * ```
 */
export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const queue = new WebhookQueue();
  const cdn = await startFakeCdn(options.media ?? SAMPLE_VIDEO);
  const state: FakeGatewayState = {
    jobs: new Map(),
    queuedScripts: [],
    defaultScript: options.job ?? {},
    acceptedBeyondReference: options.acceptedBeyondReference ?? {},
    apiKey: options.apiKey,
    origin: "",
    mediaOrigin: cdn.url,
    onWebhookJob: (job) => queue.run(job),
  };
  const routes = gatewayRoutes(state);
  const requests: RecordedRequest[] = [];
  const faults: (FaultRule & { remaining: number })[] = [];
  const sockets = new Set<Socket>();

  const takeFault = (kind: RecordedRequest["kind"]): FaultRule | undefined => {
    const index = faults.findIndex(
      (rule) =>
        (rule.on === "any" || rule.on === (kind as FaultTarget)) &&
        (rule.rate === undefined || Math.random() < rule.rate),
    );
    const rule = faults[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) faults.splice(index, 1);
    return rule;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const headers = flattenHeaders(req.headers);
    const kind = kindOf(method, path);
    const fault = takeFault(kind);
    if (fault?.fault.kind === "reset-before-read") {
      requests.push({ method, path, headers, body: undefined, kind });
      applyFault(fault.fault, res);
      return;
    }
    const raw = await readBody(req);
    requests.push({ method, path, headers, body: parseBody(raw), kind });

    if (fault && !fault.afterProcessing) {
      applyFault(fault.fault, res);
      return;
    }
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const request = new Request(`${state.origin}${path}`, {
      method,
      headers: forwarded,
      ...(raw.length > 0 && method !== "GET" && method !== "HEAD" ? { body: raw } : {}),
    });
    const response =
      (await routes(request)) ??
      Response.json({ error: "Not Found", message: `No route for ${method} ${path}` }, { status: 404 });
    if (fault) {
      applyFault(fault.fault, res);
      return;
    }
    await writeResponse(res, response);
  };

  /** Connections with a request under way; the others are idle keep-alive sockets. */
  const busy = new Set<Socket>();
  const server = createServer((req, res) => {
    const socket = req.socket;
    busy.add(socket);
    res.on("close", () => busy.delete(socket));
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Internal Server Error", message: String(error) }));
    });
  });
  const connections = { open: 0, peak: 0, total: 0 };
  server.on("connection", (socket) => {
    sockets.add(socket);
    connections.open += 1;
    connections.total += 1;
    connections.peak = Math.max(connections.peak, connections.open);
    socket.on("close", () => {
      sockets.delete(socket);
      connections.open -= 1;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  queue.setOrigin(cdn.url);

  return {
    url: state.origin,
    requests,
    jobs: state.jobs,
    deliveries: queue.deliveries,
    cdn,
    connections,
    nextJob: (script) => {
      state.queuedScripts.push(script);
    },
    inject: (rule) => {
      faults.push({ ...rule, remaining: rule.times ?? (rule.rate === undefined ? 1 : Number.POSITIVE_INFINITY) });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    dropIdleConnections: () => {
      for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
    },
    refuseConnections: async (ms) => {
      // Stop listening: connection attempts are refused (ECONNREFUSED) until it listens again.
      // close() releases the port at once; its callback would wait for open connections to end.
      server.close();
      await new Promise((resolve) => setTimeout(resolve, ms));
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    requestsOf: (kind) => requests.filter((request) => request.kind === kind),
    close: async () => {
      queue.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cdn.close();
    },
  };
}
