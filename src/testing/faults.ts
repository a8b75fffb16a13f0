/** What the fake gateway does instead of answering normally. */
export type FakeFault =
  /** Answers with this status, headers and body (an object is sent as JSON, a string as is). */
  | {
      kind: "response";
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
    }
  /** Destroys the connection after reading the request, without answering. */
  | { kind: "reset" }
  /** Destroys the connection as soon as the request line arrives, before reading its body. */
  | { kind: "reset-before-read" }
  /** Never answers; the connection stays open until the client gives up or the gateway closes. */
  | { kind: "hang" }
  /** Sends the status line, headers and part of the body, then nothing more. */
  | { kind: "stall-body"; status?: number }
  /** Announces a longer `Content-Length` than it sends, then closes the connection. */
  | { kind: "truncated-body"; status?: number };

/** Which requests a fault applies to. */
export type FaultTarget = "submit" | "status" | "any";

/** A fault armed on the fake gateway. */
export interface FaultRule {
  /** Which requests it hits. */
  on: FaultTarget;
  fault: FakeFault;
  /**
   * How many matching requests it hits before disarming.
   * @default 1 (unlimited with `rate`)
   */
  times?: number;
  /**
   * Hit only this fraction of matching requests, at random (0 to 1), for chaos runs.
   * @default 1
   */
  rate?: number;
  /**
   * Apply the fault after the request was processed (a submit creates its job first), so the
   * client loses a reply the gateway acted on.
   * @default false
   */
  afterProcessing?: boolean;
}

const insufficientBalanceBody = {
  error: "Insufficient Balance",
  message: "Your wallet does not have enough balance.",
};

/**
 * The error replies the reference documents ("Error Responses"), ready to arm with
 * `gateway.inject({ on: "submit", fault: documentedErrors.insufficientBalance })`.
 */
export const documentedErrors = {
  /** 402, as documented. */
  insufficientBalance: { kind: "response", status: 402, body: insufficientBalanceBody } as FakeFault,
  /** 400 `Model not found`, as documented. */
  modelNotFound: (modelId: string): FakeFault => ({
    kind: "response",
    status: 400,
    body: { error: "Model not found", message: `Model '${modelId}' not found or is disabled` },
  }),
  /** 401 in the shape the gateway's API management layer uses. */
  unauthorized: {
    kind: "response",
    status: 401,
    body: {
      statusCode: 401,
      message:
        "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
    },
  } as FakeFault,
  /** 403. */
  forbidden: {
    kind: "response",
    status: 403,
    body: { error: "Forbidden", message: "Access to this model is not allowed." },
  } as FakeFault,
  /** 429 with `Retry-After` in seconds. */
  rateLimited: (retryAfterSeconds: number): FakeFault => ({
    kind: "response",
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
    body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` },
  }),
  /** 500. */
  internalError: {
    kind: "response",
    status: 500,
    body: { error: "Internal Server Error", message: "Something went wrong." },
  } as FakeFault,
  /** 502 with an HTML page, as an edge proxy sends it. */
  badGatewayHtml: {
    kind: "response",
    status: 502,
    headers: { "content-type": "text/html" },
    body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
  } as FakeFault,
} as const;
