import { randomUUID } from "node:crypto";
import { monotonicNow } from "../internal/clock.js";
import { isLoopbackHost } from "../internal/loopback.js";
import { MODELS, type ModelId } from "../models/registry.js";
import { type FakeJob, type FakeJobScript, type FakeWebhook, isTimed, statusesOf, statusObjectOf } from "./jobs.js";
import { referenceProblems } from "./reference-fields.js";

/** The state the handlers read and change: the jobs, and how new ones behave. */
export interface FakeGatewayState {
  readonly jobs: Map<string, FakeJob>;
  /** Scripts for the next submitted jobs, used in order; then `defaultScript`. */
  readonly queuedScripts: FakeJobScript[];
  defaultScript: FakeJobScript;
  /** The key the gateway accepts; `undefined` accepts any non-empty key. */
  readonly apiKey: string | undefined;
  /** Origin used in `polling_url`. */
  origin: string;
  /** Origin of the media URLs (the fake CDN). */
  mediaOrigin: string;
  /** Called when a job with a webhook is created, to start its clock. */
  onWebhookJob?: ((job: FakeJob) => void) | undefined;
  /** Values taken beyond the reference's lists, per model and field. */
  readonly acceptedBeyondReference?: Readonly<Record<string, Readonly<Record<string, readonly unknown[]>>>>;
}

function badRequest(message: string): Response {
  return Response.json({ error: "Bad Request", message }, { status: 400 });
}

/**
 * Reads the webhook headers as the gateway does: HTTPS only (plain http is rejected), mode
 * `terminal` (default) or `sync`. Loopback http is accepted so tests can receive callbacks.
 */
function webhookOf(request: Request): FakeWebhook | Response | undefined {
  const url = request.headers.get("x-webhook-url");
  if (url === null) return undefined;
  const mode = request.headers.get("x-webhook-mode") ?? "terminal";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return badRequest("X-Webhook-URL must be an absolute HTTPS URL.");
  }
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && isLoopbackHost(parsed.hostname))) {
    return badRequest("X-Webhook-URL must use HTTPS; plain http:// URLs are rejected.");
  }
  if (mode !== "terminal" && mode !== "sync") return badRequest("X-Webhook-Mode must be 'terminal' or 'sync'.");
  return { url, mode };
}

const KEY_HEADER = "ocp-apim-subscription-key";

function unauthorized(): Response {
  return Response.json(
    {
      statusCode: 401,
      message:
        "Access denied due to missing or invalid subscription key. Make sure to include the subscription key when making requests to an API.",
    },
    { status: 401 },
  );
}

function keyIsValid(request: Request, state: FakeGatewayState): boolean {
  const key = request.headers.get(KEY_HEADER);
  return key !== null && key !== "" && (state.apiKey === undefined || key === state.apiKey);
}

/** Answers one request the way the gateway would, or `undefined` for a path it does not serve. */
export type GatewayRoutes = (request: Request) => Promise<Response | undefined>;

/**
 * The gateway's routes: the seven submit paths and the status endpoint, with the status codes and
 * bodies of the reference. Plain functions from `Request` to `Response`, matched on the path's
 * end as the gateway's paths are fixed; no mocking library, so the fake loads and runs in any
 * test runner and beside any interceptor a user installs.
 */
export function gatewayRoutes(state: FakeGatewayState): GatewayRoutes {
  const models = Object.values(MODELS).map((model) => ({ model, submit: submitRoute(state, model) }));
  const readStatus = statusRoute(state);
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method === "POST") {
      const route = models.find(({ model }) => pathname.endsWith(model.path));
      if (route) return route.submit(request);
    }
    const status = request.method === "GET" ? /\/v2\/requests\/status\/([^/]+)$/.exec(pathname) : null;
    if (status?.[1] !== undefined) return readStatus(request, decodedSegment(status[1]));
    return undefined;
  };
}

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function submitRoute(state: FakeGatewayState, model: (typeof MODELS)[ModelId]) {
  return async (request: Request): Promise<Response> => {
    if (!keyIsValid(request, state)) return unauthorized();
    let input: unknown;
    try {
      input = await request.json();
    } catch {
      return Response.json({ error: "Bad Request", message: "Request body must be JSON." }, { status: 400 });
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return badRequest("Request body must be a JSON object.");
    }
    // Model validation against the reference's own table (reference-fields.ts), not the SDK's
    // schemas, so the two check each other. The reference shows no body for this refusal.
    const problems = referenceProblems(
      model.id,
      input as Record<string, unknown>,
      state.acceptedBeyondReference?.[model.id],
    );
    if (problems.length > 0) return badRequest(`Invalid input for ${model.id}: ${problems.join("; ")}`);
    const webhook = webhookOf(request);
    if (webhook instanceof Response) return webhook;
    const script = state.queuedScripts.shift() ?? state.defaultScript;
    const requestId = `${model.id}_${randomUUID()}`;
    const job: FakeJob = {
      requestId,
      modelId: model.id,
      input,
      statuses: statusesOf(script),
      step: 0,
      createdAt: new Date(),
      createdAtMonotonicMs: monotonicNow(),
      error: script.error ?? "Description of the error",
      webhook,
      script,
    };
    state.jobs.set(requestId, job);
    if (webhook) state.onWebhookJob?.(job);
    return Response.json(
      {
        request_id: requestId,
        status: "QUEUED",
        polling_url: `${state.origin}/v2/requests/status/${requestId}`,
      },
      { status: 202 },
    );
  };
}

function statusRoute(state: FakeGatewayState) {
  return async (request: Request, requestId: string): Promise<Response> => {
    if (!keyIsValid(request, state)) return unauthorized();
    const job = state.jobs.get(requestId);
    if (!job) {
      return Response.json({ error: "Not Found", message: `Request '${requestId}' not found` }, { status: 404 });
    }
    const status = statusObjectOf(job, state.mediaOrigin, "status");
    // A job without a webhook moves one step per read; one with a webhook moves on the queue's
    // clock, a timed one on wall time.
    if (!job.webhook && !isTimed(job)) job.step += 1;
    return Response.json(status);
  };
}
