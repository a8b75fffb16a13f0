import { ConnectionError, type RequestDescription } from "../errors/errors.js";

/**
 * Error codes that prove the request never left this machine: the connection was never
 * established (refused, DNS, connect timeout, unreachable network) or TLS never completed, and an
 * HTTP request is only written after both. Everything else (a reset mid-exchange, a socket closed
 * while waiting for the answer) may have reached the gateway.
 */
const NEVER_SENT_CODES = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);

const NEVER_SENT_SYSCALLS = new Set(["connect", "getaddrinfo", "getaddrinfo_error"]);

function isTlsHandshakeCode(code: string): boolean {
  return (
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.startsWith("CERT_") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
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
function* causeChain(error: unknown): Generator<NodeishError> {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    yield current as NodeishError;
    current = (current as NodeishError).cause;
  }
}

/** The most specific error code found along the cause chain. */
function firstCode(error: unknown): string | undefined {
  let found: string | undefined;
  for (const link of causeChain(error)) {
    if (typeof link.code === "string") found = link.code;
  }
  return found;
}

/** Whether a failure proves the gateway never received the request (safe to send again). */
export function provesNeverSent(error: unknown): boolean {
  for (const link of causeChain(error)) {
    if (typeof link.code === "string" && (NEVER_SENT_CODES.has(link.code) || isTlsHandshakeCode(link.code))) {
      return true;
    }
    if (typeof link.syscall === "string" && NEVER_SENT_SYSCALLS.has(link.syscall)) return true;
  }
  return false;
}

/** Wraps a low-level network failure in a {@link ConnectionError} that says whether it is safe to resend. */
export function toConnectionError(
  error: unknown,
  request: RequestDescription,
  requestId: string | undefined,
): ConnectionError {
  const code = firstCode(error);
  const neverSent = provesNeverSent(error);
  const messages = [...causeChain(error)]
    .map((link) => (typeof link.message === "string" ? link.message : ""))
    .filter((text) => text !== "");
  const detail = messages.at(-1) ?? "unknown network error";
  const verdict = neverSent ? "the request was not sent" : "the request may have reached the gateway";
  return new ConnectionError({
    message: `${request.method} ${request.path} failed on the network (${code ?? "no code"}: ${detail}); ${verdict}`,
    code,
    mayHaveReachedGateway: !neverSent,
    request,
    requestId,
    cause: error,
  });
}
