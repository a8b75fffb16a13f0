import {
  ConnectionError,
  type RequestDescription,
  RequestTimeoutError,
  UnexpectedResponseError,
} from "../errors/errors.js";
import { errorFromResponse } from "../errors/from-response.js";
import type { Connections } from "../http/connections.js";
import { type HttpResponse, readBounded, type Transport, UndecodableBodyError } from "../http/transport.js";
import { excerptOf } from "../internal/excerpt.js";
import { nestsDeeperThan } from "../internal/json-depth.js";
import type { Redact } from "../internal/redact.js";
import { onAbort } from "../internal/signals.js";
import { VERSION } from "../internal/version.js";
import { MAX_REPLY_DEPTH } from "../job/status.js";

/*
 * One HTTP exchange with the gateway, and what it means. This file is the only code that puts
 * the API key on the wire. It adds the documented headers, bounds the exchange in time and
 * size, never follows a redirect (whatever dispatcher is used), and turns every outcome into
 * either a parsed reply or an error of the SDK's tree that says truly whether the request may
 * have reached the gateway.
 */

/** Largest gateway response read into memory. Documented replies are a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

const runtime =
  typeof process !== "undefined" && process.versions?.node ? `node/${process.versions.node}` : "unknown-runtime";

/** Names the SDK and its version for the gateway's logs. */
export const USER_AGENT = `pixazo-ltx/${VERSION} (${runtime})`;

/** What every exchange of one client shares; built once by the {@link Gateway}. */
export interface ExchangeSetup {
  readonly apiKey: string;
  /** Origin and path prefix of the gateway, without a trailing slash. */
  readonly root: string;
  readonly requestTimeoutMs: number;
  /** The client's transport. */
  readonly connections: Connections;
  /** Removes the key from any text taken from a reply into an error. */
  readonly redact: Redact;
}

/** One request to the gateway. */
export interface GatewayCall {
  readonly method: "GET" | "POST";
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  /** The JSON body, already serialised (once, from the validated input); makes this a submit. */
  readonly body?: string | undefined;
  /** Extra headers (the webhook registration), already checked to be valid header values. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The job this call concerns, copied into any error. */
  readonly requestId?: string | undefined;
}

/** A 2xx reply: its parsed JSON and the text it was parsed from. */
export interface GatewayReply {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

/** A response reduced to what the SDK reads from it. */
interface RawResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly text: string;
}

/**
 * The caller's signal aborted the exchange. `mayHaveReachedGateway` is `false` when it aborted
 * before the request was handed to the network. Internal: the gateway turns it into the abort
 * reason, or, for a submit that may have arrived, a `SubmitUncertainError`.
 */
export class ExchangeAborted {
  constructor(
    readonly reason: unknown,
    readonly mayHaveReachedGateway: boolean,
  ) {}
}

/**
 * Sends one request and returns the parsed JSON of a 2xx reply, with its text (for excerpts).
 *
 * @throws {APIError} (a subclass per status code) for a non-2xx reply.
 * @throws {UnexpectedResponseError} for a redirect, a body that is not JSON, one nested deeper
 * than {@link MAX_REPLY_DEPTH}, or one over {@link MAX_RESPONSE_BYTES}.
 * @throws {ConnectionError} when the network failed; `mayHaveReachedGateway` is `false` only when
 * the failure proves no byte of the request reached the gateway.
 * @throws {RequestTimeoutError} when `requestTimeoutMs` ran out.
 * @throws {ExchangeAborted} with the signal's reason when `signal` aborts.
 */
export async function exchange(
  setup: ExchangeSetup,
  call: GatewayCall,
  signal: AbortSignal | undefined,
): Promise<GatewayReply> {
  const request = { method: call.method, path: call.path };
  // Plain concatenation onto the configured origin and prefix: whatever the path holds, the host
  // stays the gateway's. Paths are built by the SDK from checked parts (ids are percent-encoded).
  const url = `${setup.root}${call.path}`;
  const headers: Record<string, string> = {
    accept: "application/json",
    "user-agent": USER_AGENT,
    ...call.headers,
    // Set last so no extra header can replace or duplicate it.
    "ocp-apim-subscription-key": setup.apiKey,
  };
  if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    headers["cache-control"] = "no-cache";
  }

  // Everything before a byte can leave: load the transport. A failure or an abort here proves
  // the request was not sent.
  let send: Transport;
  try {
    send = await setup.connections.transport();
  } catch (error) {
    throw connectionError(error, request, call.requestId, setup.redact, "the HTTP client could not be prepared");
  }
  if (signal?.aborted) throw new ExchangeAborted(signal.reason, false);

  // One real AbortSignal per exchange, for the timeout and the caller's abort: every runtime's
  // undici and fetch accept it. It bounds the whole exchange, the body's reading included.
  const cancel = new AbortController();
  const timer = setTimeout(() => cancel.abort(), setup.requestTimeoutMs);
  const stopFollowing = signal ? onAbort(signal, () => cancel.abort()) : undefined;
  let response: HttpResponse;
  let bytes: Uint8Array | undefined;
  try {
    response = await send({
      method: call.method,
      url,
      headers,
      body: call.body,
      signal: cancel.signal,
      redirect: "manual",
    });
    // An announced length over the limit is refused unread; an unannounced one is cut at it.
    const declared = Number(response.header("content-length"));
    bytes = declared > MAX_RESPONSE_BYTES ? undefined : await readBounded(response.body, MAX_RESPONSE_BYTES);
    if (bytes === undefined) await response.discard();
  } catch (error) {
    // From here on a byte may have left: an abort cannot prove otherwise.
    if (signal?.aborted) throw new ExchangeAborted(signal.reason, true);
    if (cancel.signal.aborted) {
      throw new RequestTimeoutError({ timeoutMs: setup.requestTimeoutMs, request, requestId: call.requestId });
    }
    if (error instanceof UndecodableBodyError) {
      throw new UnexpectedResponseError({
        message: `${request.method} ${request.path} answered with a body in an encoding that cannot be decoded`,
        status: 0,
        excerpt: "",
        request,
        requestId: call.requestId,
      });
    }
    throw connectionError(error, request, call.requestId, setup.redact);
  } finally {
    clearTimeout(timer);
    stopFollowing?.();
  }
  if (bytes === undefined) {
    throw new UnexpectedResponseError({
      message: `${request.method} ${request.path}: response body exceeds ${MAX_RESPONSE_BYTES} bytes`,
      status: 0,
      excerpt: "",
      request,
      requestId: call.requestId,
    });
  }
  const text = new TextDecoder().decode(bytes);
  return interpret({ status: response.status, header: response.header, text }, request, call.requestId, setup.redact);
}

/** Turns a response into a reply or the error its status and body call for. */
function interpret(
  raw: RawResponse,
  request: RequestDescription,
  requestId: string | undefined,
  redact: Redact,
): GatewayReply {
  if (raw.status >= 300 && raw.status < 400) {
    const location = raw.header("location");
    throw unexpectedReply(
      raw,
      request,
      requestId,
      redact,
      `redirecting to ${location ? originOf(location) : "an unknown location"}; redirects are not followed so ` +
        "the API key stays with the configured gateway",
    );
  }
  if (raw.status < 200 || raw.status >= 300) {
    throw errorFromResponse({
      status: raw.status,
      bodyText: raw.text,
      retryAfter: raw.header("retry-after"),
      request,
      requestId,
      redact,
      maxDepth: MAX_REPLY_DEPTH,
    });
  }
  // Checked on the text, before parsing: a result must stay printable and serialisable.
  if (nestsDeeperThan(raw.text, MAX_REPLY_DEPTH)) {
    throw unexpectedReply(raw, request, requestId, redact, `a body nested deeper than ${MAX_REPLY_DEPTH} levels`);
  }
  try {
    return { status: raw.status, json: JSON.parse(raw.text) as unknown, text: raw.text };
  } catch {
    const contentType = raw.header("content-type") ?? "no content type";
    throw unexpectedReply(raw, request, requestId, redact, `a body that is not JSON (${contentType})`);
  }
}

/**
 * An {@link UnexpectedResponseError} for a reply, with `what` it was; the excerpt is cut from the
 * text as received (re-serialising a hostile value could be slow or huge), and the key is removed
 * from all of it, `what` included: it may quote names, values and headers of the reply.
 */
export function unexpectedReply(
  raw: { readonly status: number; readonly text: string },
  request: RequestDescription,
  requestId: string | undefined,
  redact: Redact,
  what: string,
): UnexpectedResponseError {
  const excerpt = excerptOf(redact(raw.text));
  const redirect = raw.status >= 300 && raw.status < 400;
  return new UnexpectedResponseError({
    message: `${request.method} ${request.path} answered ${raw.status} ${redirect ? "" : "with "}${redact(what)}${
      redirect ? "" : `: ${excerpt || "(empty)"}`
    }`,
    status: raw.status,
    excerpt,
    request,
    requestId,
  });
}

/** Names where a redirect pointed without echoing a full URL that might carry tokens. */
function originOf(location: string): string {
  try {
    return new URL(location).origin;
  } catch {
    return "a relative or unreadable location";
  }
}

/*
 * Which network failures prove that no byte of the request reached the gateway. Only those make
 * a submit safe to send again, and only those are reported with `mayHaveReachedGateway: false`.
 */

/**
 * Codes that only a connection attempt can produce: refused, timed out while connecting, a name
 * that did not resolve, TLS to a proxy that failed. Other errno codes (`EHOSTUNREACH`,
 * `ENETUNREACH`) also arrive on a socket that already carried the request, so they prove nothing
 * unless the failed call was the connect itself (see the syscalls below).
 */
const UNCONNECTED_CODES = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "UND_ERR_PRX_TLS",
]);

/**
 * The request was refused by the HTTP stack while it was being built, before any socket was
 * used: an argument the runtime's undici or Node rejected (a header value, a signal of a type it
 * does not accept). Header values are checked before a request is made, so these are a last line.
 */
const REFUSED_BEFORE_SENDING_CODES = new Set([
  "UND_ERR_INVALID_ARG",
  "UND_ERR_NOT_SUPPORTED",
  "ERR_INVALID_ARG_TYPE",
  "ERR_INVALID_ARG_VALUE",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
]);

const UNCONNECTED_SYSCALLS = new Set(["connect", "getaddrinfo", "getaddrinfo_error"]);

/**
 * undici's words when a forward proxy answers the tunnel's CONNECT with anything but 200 (a 407
 * for missing credentials, a 403 by policy): the gateway was never contacted. undici gives this
 * failure no code of its own, so its message is the only way to tell it from an abort.
 */
const PROXY_REFUSAL = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;

/**
 * A certificate the client refused, which can only happen while the TLS handshake runs, before
 * any request byte. Other TLS errors (a bad record on a reused connection) can come after the
 * request was written, so they prove nothing.
 */
function isCertificateRefusal(code: string): boolean {
  return (
    code.startsWith("CERT_") ||
    code === "ERR_TLS_CERT_ALTNAME_INVALID" ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "UNABLE_TO_GET_ISSUER_CERT" ||
    code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" ||
    code === "DEPTH_ZERO_SELF_SIGNED_CERT" ||
    code === "SELF_SIGNED_CERT_IN_CHAIN"
  );
}

interface NodeishError {
  code?: unknown;
  syscall?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** The error and its `cause` chain: `fetch` wraps the socket error in a `TypeError`. */
function causeChain(error: unknown): NodeishError[] {
  const chain: NodeishError[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    chain.push(current as NodeishError);
    current = (current as NodeishError).cause;
  }
  return chain;
}

/** Why a failure proves the request was not sent, in words, or `undefined` if it proves nothing. */
function provenUnsent(chain: readonly NodeishError[]): string | undefined {
  for (const link of chain) {
    const code = typeof link.code === "string" ? link.code : "";
    const proxyStatus = typeof link.message === "string" ? PROXY_REFUSAL.exec(link.message)?.[1] : undefined;
    if (proxyStatus) return `the proxy refused to open a tunnel to the gateway (HTTP ${proxyStatus})`;
    if (UNCONNECTED_CODES.has(code) || isCertificateRefusal(code)) return "no connection was established";
    if (typeof link.syscall === "string" && UNCONNECTED_SYSCALLS.has(link.syscall)) {
      return "no connection was established";
    }
    if (REFUSED_BEFORE_SENDING_CODES.has(code)) return "the HTTP client refused the request before sending it";
  }
  return undefined;
}

/** Wraps a low-level network failure in a {@link ConnectionError} that says whether it is safe to resend. */
function connectionError(
  error: unknown,
  request: RequestDescription,
  requestId: string | undefined,
  redact: Redact,
  unsentBecause?: string,
): ConnectionError {
  const chain = causeChain(error);
  const unsent = unsentBecause ?? provenUnsent(chain);
  // undici reports a proxy's refusal as UND_ERR_ABORTED, which reads like an abort of the caller's.
  const code =
    unsent === undefined || !unsent.startsWith("the proxy refused")
      ? (chain.findLast((link) => typeof link.code === "string")?.code as string | undefined)
      : "ERR_PROXY_TUNNEL_REFUSED";
  const detail = chain.findLast((link) => typeof link.message === "string" && link.message !== "")?.message as
    | string
    | undefined;
  const verdict = unsent ? `${unsent}: the request was not sent` : "the request may have reached the gateway";
  return new ConnectionError({
    message: `${request.method} ${request.path} failed on the network (${code ?? "no code"}: ${redact(detail ?? "unknown network error")}); ${verdict}`,
    code,
    mayHaveReachedGateway: unsent === undefined,
    request,
    requestId,
    cause: error,
  });
}
