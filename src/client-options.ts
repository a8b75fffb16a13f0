import type { Dispatcher } from "undici";
import * as z from "zod/mini";
import type { BatchOptions } from "./batch/generate-many.js";
import { ValidationError, type ValidationIssue } from "./errors/errors.js";
import { type GatewayOptions, type Logger, MISSING_KEY } from "./gateway/gateway.js";
import type { SharedRateLimitPause } from "./gateway/shared-pause.js";
import type { WebhookRegistration } from "./gateway/webhook-registration.js";
import { type ProxySettings, proxyFromEnvironment } from "./http/connections.js";
import type { FetchLike } from "./http/transport.js";
import { isLoopbackHost } from "./internal/loopback.js";
import { MAX_TIMER_MS } from "./internal/sleep.js";
import type { JobEventSource } from "./job/events.js";
import type { JobStatus, SubmittedJob } from "./job/status.js";
import type { InputOf, ModelId } from "./models/registry.js";
import type { UncheckedFields } from "./models/validate.js";
import { boolean, callback, hasMethods, milliseconds, numberFrom, option, optionIssues } from "./options/checks.js";
import {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS,
  WEBHOOK_FALLBACK_POLL_INTERVAL_MS,
} from "./polling/schedule.js";
import type { WaitProgress } from "./polling/wait.js";
import type { RunTimeStore } from "./run-time-store/format.js";

/** The gateway used when neither `baseUrl` nor `PIXAZO_BASE_URL` is set. */
export const DEFAULT_BASE_URL = "https://gateway.pixazo.ai";

/** Whether `url` is on the Pixazo gateway's origin; `false` for one that does not parse. */
export function isDefaultGateway(url: string | URL): boolean {
  try {
    return new URL(url).origin === new URL(DEFAULT_BASE_URL).origin;
  } catch {
    return false;
  }
}
/** Default limit for one HTTP request, in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default number of retries after a failed request (when retrying is safe). */
export const DEFAULT_MAX_RETRIES = 2;
/** Default bound of the client's own connection pool, per origin. */
export const DEFAULT_MAX_CONNECTIONS = 16;

/** Options of `new Pixazo(options)`. */
export interface PixazoOptions {
  /**
   * Your Pixazo subscription key, sent as `Ocp-Apim-Subscription-Key` to the gateway only.
   * @default process.env.PIXAZO_API_KEY
   */
  apiKey?: string | undefined;
  /**
   * Gateway base URL. Must be `https://`, except for loopback hosts (a local fake gateway).
   * @default process.env.PIXAZO_BASE_URL ?? "https://gateway.pixazo.ai"
   */
  baseUrl?: string | undefined;
  /**
   * Limit for one gateway request (connect, send, full response), in milliseconds. For media
   * downloads, which may take minutes, it is instead the default longest silence
   * (`stallTimeoutMs` of `download`).
   * @default 30000
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Retries after a failed request, when retrying is safe: status reads retry network errors,
   * timeouts, 408, 429, 5xx and undocumented replies; submits retry only when no job can have been created.
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Base interval between status reads in `wait()`: a first read comes after half of it (unless
   * the job cannot plausibly have ended yet), then intervals grow ×1.5 from it up to
   * `maxPollIntervalMs`.
   * @default 2000
   */
  pollIntervalMs?: number | undefined;
  /**
   * Cap on the interval between status reads in `wait()`.
   * @default 8000
   */
  maxPollIntervalMs?: number | undefined;
  /**
   * Learn how long each model's jobs take (at the model's default size, scaled by frames ×
   * pixels) from the jobs this client submits: a wait then makes no read before the fastest
   * recent run time of its model at its job's size, and `onStatus` is told an estimate
   * (see docs/polling.md). `false` polls every job on the plain schedule (a first read
   * after about a second, then growing intervals) and gives no estimate.
   * @default true
   */
  adaptivePolling?: boolean | undefined;
  /**
   * Where to keep what the client learns about run times between processes, so a command-line
   * run or a short-lived function starts with its schedule and estimates warm: a file path
   * (written atomically; Node, Bun and Deno), or any `{ load(), save(text) }` store (a key-value
   * store on an edge runtime). Read once before the first wait, written as jobs end and flushed
   * by `close()`. A file that cannot be used is ignored with one warning.
   * @default undefined (nothing kept)
   * @example
   * ```ts
   * new Pixazo({ runTimeStore: ".cache/pixazo-run-times.json" });
   * ```
   */
  runTimeStore?: string | RunTimeStore | undefined;
  /**
   * Shares the client-wide 429 pause with the clients of the same key in other processes: a
   * 429 met here pauses them too, and theirs pause this client (each bounded as a `Retry-After`
   * of its own, at most 60 s). `RedisRateLimitPause` from `pixazo-ltx/redis` is one; any
   * `{ announce(ms), subscribe(onPause) }` will do. Stopped by `close()`. An announcement that
   * fails is reported once as a process warning and never fails the request.
   * @default undefined (the pause is this client's alone)
   */
  sharedRateLimitPause?: SharedRateLimitPause | undefined;
  /**
   * Most sockets the client's own pool opens to one origin (the gateway, a CDN). Ignored when
   * you pass a `dispatcher`.
   * @default 16
   */
  maxConnections?: number | undefined;
  /**
   * Most gateway requests in flight at once, across every call of this client; the others wait
   * their turn. Polls of many concurrent waits share this budget.
   * @default maxConnections
   */
  maxRequestsInFlight?: number | undefined;
  /**
   * An undici `Dispatcher` (a `ProxyAgent`, a tuned `Agent`) to send requests through. Gateway
   * requests never follow a redirect through it, even if it is composed with undici's redirect
   * interceptor.
   * @default a keep-alive undici Agent owned by the client, of `maxConnections` sockets per origin
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * Send requests (gateway and media) through the forward proxy named by `HTTPS_PROXY` /
   * `HTTP_PROXY` (lower-case forms first; https falls back to `HTTP_PROXY`), except to the hosts
   * of `NO_PROXY` (read as curl and npm read it) and to loopback hosts. Read once, when the client is made.
   * Requests go through a CONNECT tunnel, and the gateway is https, so the proxy never sees the
   * key. A `dispatcher` or `fetch` of yours wins over this; `false` ignores the environment.
   * @default true
   */
  proxyFromEnv?: boolean | undefined;
  /**
   * A `fetch`-compatible function to use instead of undici (msw in tests, edge runtimes).
   * Redirects are never followed.
   * @default undefined on Node (undici.request is used); the runtime's own `fetch` on Bun and
   * Deno unless you pass a `dispatcher`
   */
  fetch?: FetchLike | undefined;
  /**
   * Receives a debug line per gateway request (method, path, status or error, milliseconds);
   * `console` works. Never given headers, bodies or the key. A logger that throws is ignored
   * (the first throw is reported once as a process warning).
   * @default undefined (silent)
   */
  logger?: Logger | undefined;
}

/** Options of `client.submit()`, for the model `Id`. */
export interface SubmitOptions<Id extends ModelId = ModelId> {
  /**
   * Aborts the submit. Before anything could have reached the gateway, the promise rejects with
   * the signal's reason; after, with a `SubmitUncertainError` whose `cause` is the reason, since a
   * job may exist.
   */
  signal?: AbortSignal | undefined;
  /**
   * Body fields to send on purpose beside the model's known ones, unchecked: for a field the
   * gateway accepts that this SDK does not know yet. A known field here is refused; set it in
   * the input, where it is checked.
   * @default undefined
   */
  extraFields?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Known fields of the model sent with a value its check would refuse, deliberately: for when
   * the gateway accepts more than the reference lists (say `resolution: "1440p"` on a model
   * whose documented list stops short of it). Keys must be the model's own fields, not also set
   * in the input; values go into the body as given (as JSON). Everything else is still checked.
   * @default undefined
   * @example
   * ```ts
   * await client.submit("ltx-2-video-api-581", { image_url, prompt }, { uncheckedFields: { resolution: "1440p" } });
   * ```
   */
  uncheckedFields?: UncheckedFields<keyof InputOf<Id>> | undefined;
  /**
   * Ask the gateway to POST the job's status to your HTTPS endpoint (`X-Webhook-URL`,
   * `X-Webhook-Mode`), for every model. See `WebhookReceiver` for the receiving side.
   * @default undefined (no callback)
   */
  webhook?: WebhookRegistration | undefined;
}

/** Options of `client.status()`. */
export interface StatusOptions {
  /** Aborts the read; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options of `client.wait()`. */
export interface WaitOptions {
  /** Aborts the wait at once, during a sleep or a request; rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Give up after this many milliseconds with a `WaitTimeoutError` (the job may still finish).
   * `Infinity` waits without limit.
   * @default 1200000 (20 minutes)
   */
  timeoutMs?: number | undefined;
  /** @default the client's `pollIntervalMs`; 50000 with `events` */
  pollIntervalMs?: number | undefined;
  /** @default the client's `maxPollIntervalMs`; 60000 with `events` */
  maxPollIntervalMs?: number | undefined;
  /**
   * Called with every status read (or verified push), in order; a throw ends the wait with that
   * error. `progress.estimate` says when a running job this client submitted will likely end
   * (see "When will it be ready" in docs/polling.md).
   * @example
   * ```ts
   * onStatus: ({ status }, { estimate }) =>
   *   console.log(status, estimate ? `about ${Math.round(estimate.remainingMs / 1000)} s left` : ""),
   * ```
   */
  onStatus?: ((status: JobStatus, progress: WaitProgress) => void | Promise<void>) | undefined;
  /**
   * Statuses pushed by webhooks (a `WebhookReceiver`): the wait ends as soon as the job's
   * terminal callback arrives, and falls back to slow polling in case a callback is lost: for a
   * job this client submitted, reads placed for a callback lost one time in twenty, at most 60 s
   * apart once the callback is overdue; otherwise a first read after 15 s, then every 30–60 s.
   * @default undefined (polling only)
   */
  events?: JobEventSource | undefined;
}

/** Options of `client.generate()`: those of submit and wait, plus `onSubmit`. */
export interface GenerateOptions<Id extends ModelId = ModelId> extends SubmitOptions<Id>, WaitOptions {
  /**
   * Called once the job is accepted, before waiting: store `request_id` here to resume with
   * `client.wait()` if this process dies.
   */
  onSubmit?: ((submitted: SubmittedJob) => void | Promise<void>) | undefined;
}

/**
 * Options of `client.generateMany()`: the batch's own (see {@link BatchOptions}), the wait's for
 * each job, and a webhook for every job.
 */
export interface GenerateManyOptions
  extends BatchOptions,
    Pick<WaitOptions, "timeoutMs" | "pollIntervalMs" | "maxPollIntervalMs" | "events"> {
  /** Registers the same callback for every job (see `SubmitOptions.webhook`). */
  webhook?: WebhookRegistration | undefined;
}

/** Client options after defaults and validation: the gateway's, and the polling defaults. */
export interface ResolvedOptions extends Omit<GatewayOptions, "loadUndici"> {
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly adaptivePolling: boolean;
  readonly runTimeStore: string | RunTimeStore | undefined;
}

const sockets = numberFrom(1, 4096, "an integer from 1 to 4096", { integer: true });

/** The options of `new Pixazo()` checked alone (the API key and the base URL are checked with the environment). */
const CLIENT_OPTIONS = z.object({
  requestTimeoutMs: milliseconds,
  maxRetries: numberFrom(0, 10, "an integer from 0 to 10", { integer: true }),
  maxConnections: sockets,
  maxRequestsInFlight: sockets,
  pollIntervalMs: milliseconds,
  maxPollIntervalMs: milliseconds,
  adaptivePolling: boolean,
  runTimeStore: option(
    (value) => (typeof value === "string" && value !== "") || hasMethods(value, "load", "save"),
    "is neither a file path nor a store",
    "a file path, or an object with load() and save(text)",
  ),
  dispatcher: option((value) => hasMethods(value, "dispatch"), "not an undici Dispatcher"),
  proxyFromEnv: boolean,
  fetch: option((value) => typeof value === "function", "not a function", "a fetch-compatible function"),
  logger: option(
    (value) => hasMethods(value, "debug"),
    "has no debug() method",
    "console, or any { debug(message, details) }",
    false,
  ),
  sharedRateLimitPause: option(
    (value) => hasMethods(value, "announce", "subscribe"),
    "has no announce() and subscribe() methods",
    "a RedisRateLimitPause, or { announce(ms), subscribe(onPause) }",
    false,
  ),
});

/** The options of one wait. */
const WAIT_OPTIONS = z.object({
  timeoutMs: numberFrom(1, MAX_TIMER_MS, `a number of milliseconds from 1 to ${MAX_TIMER_MS}, or Infinity`, {
    infinity: true,
  }),
  pollIntervalMs: milliseconds,
  maxPollIntervalMs: milliseconds,
  events: option((value) => hasMethods(value, "subscribe"), "has no subscribe() method", "a WebhookReceiver", false),
  onStatus: callback,
});

function checkBaseUrl(issues: ValidationIssue[], raw: string): URL | undefined {
  const allowed = "an https:// URL (http:// only for localhost, 127.x.x.x or [::1])";
  // "localhost:8080" parses as a URL of scheme "localhost:": name the missing scheme instead.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    issues.push({ path: ["baseUrl"], message: "has no scheme (https://)", received: raw, allowed });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    issues.push({ path: ["baseUrl"], message: "not a URL", received: raw, allowed });
    return undefined;
  }
  if (url.username || url.password) {
    issues.push({ path: ["baseUrl"], message: "must not carry credentials", received: url.origin, allowed });
  } else if (url.search || url.hash) {
    issues.push({ path: ["baseUrl"], message: "must not carry a query or fragment", received: raw, allowed });
  } else if (!(url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname)))) {
    issues.push({
      path: ["baseUrl"],
      message: "the API key is only sent over HTTPS (plain http is for a local gateway)",
      received: raw,
      allowed,
    });
  }
  return url;
}

/**
 * Applies defaults (environment variables included) and validates every client option, before
 * any request can be made.
 *
 * @throws {ValidationError} naming every bad option.
 */
export function resolveOptions(
  options: PixazoOptions,
  env: Readonly<Record<string, string | undefined>> = typeof process === "undefined" ? {} : process.env,
): ResolvedOptions {
  const issues: ValidationIssue[] = [];
  const apiKey = options.apiKey ?? env.PIXAZO_API_KEY;
  // No key at all is refused by the first request, not here: a client made at module scope
  // must not break a build (next build) or a test run that never sends a request.
  const keyMissing = apiKey === undefined || apiKey === "";
  if (!keyMissing && (typeof apiKey !== "string" || !/^[\x21-\x7e]+$/.test(apiKey))) {
    // The value is a secret: describe it without echoing it. It travels as a header value, so
    // a character a header cannot carry would fail every request; refuse it here instead.
    issues.push({
      path: ["apiKey"],
      message:
        "must be a string of printable ASCII characters, without spaces or control characters " +
        "(it is sent as an HTTP header); check for a stray character pasted with it",
      allowed: "your Pixazo subscription key",
    });
  }

  const rawBaseUrl = options.baseUrl ?? (env.PIXAZO_BASE_URL || undefined) ?? DEFAULT_BASE_URL;
  let baseUrl: URL | undefined;
  if (typeof rawBaseUrl === "string") baseUrl = checkBaseUrl(issues, rawBaseUrl);
  else issues.push({ path: ["baseUrl"], message: "must be a string", received: rawBaseUrl });

  issues.push(...optionIssues(CLIENT_OPTIONS, options));
  const intervals = checkIntervals(issues, options, {
    pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    maxPollIntervalMs: DEFAULT_MAX_POLL_INTERVAL_MS,
  });
  // A loopback gateway (the fake one in tests and the demo) is this machine: never proxied.
  const proxy =
    options.proxyFromEnv === false ||
    options.dispatcher !== undefined ||
    options.fetch !== undefined ||
    (baseUrl !== undefined && isLoopbackHost(baseUrl.hostname))
      ? undefined
      : proxyFromEnvironment(env);
  if (proxy) checkProxyUrls(issues, proxy);
  // With other issues, the missing key is named with them, so one error says everything.
  if (issues.length > 0) throw new ValidationError(keyMissing ? [MISSING_KEY, ...issues] : issues);

  return {
    apiKey: keyMissing ? undefined : (apiKey as string),
    baseUrl: baseUrl as URL,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxRequestsInFlight: options.maxRequestsInFlight ?? options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    ...intervals,
    adaptivePolling: options.adaptivePolling ?? true,
    runTimeStore: options.runTimeStore,
    sharedRateLimitPause: options.sharedRateLimitPause,
    dispatcher: options.dispatcher,
    fetch: options.fetch ?? (options.dispatcher === undefined ? runtimeFetch() : undefined),
    proxy,
    logger: options.logger,
  };
}

/** The global `fetch` as it was when the SDK loaded, before a test library could patch it. */
const FETCH_AT_LOAD = typeof globalThis.fetch === "function" ? globalThis.fetch : undefined;

/**
 * The runtime's own `fetch` on Bun and Deno, which run the npm undici on a compatibility layer:
 * Bun's stand-in ignores dispatchers, and on Deno a connection cut mid-body keeps the process
 * from exiting. Their `fetch` works, streams, and applies `HTTPS_PROXY` / `NO_PROXY` itself.
 * It is `Bun.fetch` on Bun, and on Deno the global `fetch` as the SDK found it when it loaded:
 * an interceptor installed later (msw's `server.listen()`) does not see the SDK's requests, as
 * it never does on Node, where undici sends them. `undefined` on Node.
 */
function runtimeFetch(): FetchLike | undefined {
  const runtime = globalThis as { Bun?: { fetch?: typeof fetch }; Deno?: unknown };
  if (runtime.Bun === undefined && runtime.Deno === undefined) return undefined;
  const own = runtime.Bun?.fetch ?? FETCH_AT_LOAD ?? globalThis.fetch;
  return own.bind(globalThis) as FetchLike;
}

/**
 * A proxy URL from the environment must parse; shown without its credentials, which proxy URLs
 * often carry (`http://user:secret@proxy:3128`).
 */
function checkProxyUrls(issues: ValidationIssue[], proxy: ProxySettings): void {
  for (const [name, value] of [
    ["HTTP_PROXY", proxy.httpProxy],
    ["HTTPS_PROXY", proxy.httpsProxy],
  ] as const) {
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || !["http:", "https:"].includes(url.protocol)) {
      issues.push({
        path: [name],
        message: "(an environment variable) is not an http:// or https:// proxy URL",
        received: url ? `${url.protocol}//${url.host}` : "(unparsable value)",
        allowed: `a URL such as http://proxy.example:3128, or proxyFromEnv: false to ignore ${name}`,
      });
    }
  }
}

/**
 * The two poll intervals with their defaults, checked together (the cap cannot be below the
 * base) once `issues`, which holds their own checks, has none.
 */
function checkIntervals(
  issues: ValidationIssue[],
  options: { pollIntervalMs?: number | undefined; maxPollIntervalMs?: number | undefined },
  defaults: { pollIntervalMs: number; maxPollIntervalMs: number },
): { pollIntervalMs: number; maxPollIntervalMs: number } {
  const pollIntervalMs = options.pollIntervalMs ?? defaults.pollIntervalMs;
  // An explicit base above the default cap raises the cap with it unless a cap was given too.
  const maxPollIntervalMs = options.maxPollIntervalMs ?? Math.max(defaults.maxPollIntervalMs, pollIntervalMs);
  const intervalIssue = issues.some(
    (issue) => issue.path[0] === "pollIntervalMs" || issue.path[0] === "maxPollIntervalMs",
  );
  if (!intervalIssue && maxPollIntervalMs < pollIntervalMs) {
    issues.push({
      path: ["maxPollIntervalMs"],
      message: `must not be below pollIntervalMs (${pollIntervalMs})`,
      received: maxPollIntervalMs,
      allowed: `a number ≥ ${pollIntervalMs}`,
    });
  }
  return { pollIntervalMs, maxPollIntervalMs };
}

/** The settings of one wait: the call's options over the client's defaults, validated. */
export function resolveWaitOptions(
  options: WaitOptions,
  clientDefaults: { pollIntervalMs: number; maxPollIntervalMs: number },
): { timeoutMs: number; pollIntervalMs: number; maxPollIntervalMs: number } {
  // With webhooks, polling is only the fallback for a lost callback: slow by default.
  const defaults = options.events
    ? { pollIntervalMs: WEBHOOK_FALLBACK_POLL_INTERVAL_MS, maxPollIntervalMs: WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS }
    : clientDefaults;
  const issues = optionIssues(WAIT_OPTIONS, options);
  const intervals = checkIntervals(issues, options, defaults);
  if (issues.length > 0) throw new ValidationError(issues);
  return { timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS, ...intervals };
}
