import { escapeControlCharacters as oneLine } from "../internal/control-characters.js";
import { excerptOf } from "../internal/excerpt.js";
import { nestsDeeperThan } from "../internal/json-depth.js";
import { type Redact, redactValue } from "../internal/redact.js";
import { parseRetryAfter } from "../internal/retry-after.js";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InsufficientBalanceError,
  InternalServerError,
  ModelNotFoundError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RequestDescription,
} from "./errors.js";

/** What the factory needs to know about a non-2xx response. */
export interface ErrorResponse {
  readonly status: number;
  /** The body as text, exactly as received. */
  readonly bodyText: string;
  /** Removes the API key from text taken from the body. */
  readonly redact: Redact;
  /** A body nested deeper than this is kept as an excerpt, not parsed, so the error always prints. */
  readonly maxDepth: number;
  /** The raw `Retry-After` header, if any. */
  readonly retryAfter: string | undefined;
  readonly request: RequestDescription;
  readonly requestId?: string | undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Insufficient Balance",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

type APIErrorClass = new (init: ConstructorParameters<typeof APIError>[0]) => APIError;

/**
 * Picks the error class for a status code and the gateway's `error` text. The documented bodies
 * (reference, "Error Responses") refine the code: `Model not found` on a 400 is a
 * {@link ModelNotFoundError}, `Insufficient Balance` is an {@link InsufficientBalanceError}.
 */
function classFor(status: number, gatewayError: string | undefined): APIErrorClass {
  const error = gatewayError?.toLowerCase();
  if (error === "insufficient balance") return InsufficientBalanceError;
  if (status === 400) return error === "model not found" ? ModelNotFoundError : BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 402) return InsufficientBalanceError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return APIError;
}

/**
 * Builds the one error that describes a non-2xx gateway response. A body that is JSON is kept
 * parsed in `body`; anything else (an HTML page from a proxy) is kept as a short excerpt, so the
 * status code still decides the class and the retry policy still applies.
 */
export function errorFromResponse(response: ErrorResponse): APIError {
  const { redact } = response;
  let parsed: unknown;
  if (!nestsDeeperThan(response.bodyText, response.maxDepth)) {
    try {
      parsed = JSON.parse(response.bodyText);
    } catch {
      // Not JSON: the error keeps an excerpt.
    }
  }
  const raw = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  // The class is chosen on the body as sent; everything the error keeps or says has the key
  // removed (a key as short as "n" would otherwise turn "Insufficient Balance" into something else).
  const ErrorClass = classFor(response.status, typeof raw.error === "string" ? raw.error : undefined);
  const body = parsed === undefined ? excerptOf(redact(response.bodyText)) : redactValue(parsed, redact);
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const gatewayError = typeof fields.error === "string" ? fields.error : undefined;
  const gatewayMessage = typeof fields.message === "string" ? fields.message : undefined;

  const headline = gatewayError ?? STATUS_TEXT[response.status] ?? "HTTP error";
  const detail = gatewayMessage ?? (typeof body === "string" && body !== "" ? body : undefined);
  const job = response.requestId ? ` [request ${oneLine(response.requestId)}]` : "";
  // The gateway's words on one line: a newline in them must not forge a line of a log.
  const message =
    `${response.status} ${oneLine(headline)}${detail ? `: ${oneLine(detail)}` : ""} ` +
    `(${response.request.method} ${response.request.path})${job}`;

  return new ErrorClass({
    status: response.status,
    body,
    gatewayError,
    gatewayMessage,
    retryAfterMs: parseRetryAfter(response.retryAfter),
    request: response.request,
    requestId: response.requestId,
    message,
  });
}
