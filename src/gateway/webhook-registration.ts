import { ValidationError, type ValidationIssue } from "../errors/errors.js";
import { isLoopbackHost } from "../internal/loopback.js";

/**
 * Longest webhook URL accepted. The reference sets no limit; the URL travels as a header, and
 * servers commonly cap a header line at 8 KiB.
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The webhook modes of the reference ("Webhook Headers"). */
export const WEBHOOK_MODES = ["terminal", "sync"] as const;

/** Where and how the gateway calls you back about a job. */
export interface WebhookRegistration {
  /** Your HTTPS endpoint; it must answer 2xx within a few seconds. */
  url: string;
  /**
   * `"terminal"`: one POST at the final status. `"sync"`: a POST on every poll cycle of the
   * gateway's queue (its polling delay capped at 15 s) plus the terminal one.
   * @default the gateway's default, "terminal" (the header is not sent)
   */
  mode?: (typeof WEBHOOK_MODES)[number] | undefined;
}

/**
 * The submit headers that register a webhook, after checking it. The gateway rejects plain
 * `http://` callbacks; the one exception allowed here is a loopback callback while the client
 * itself talks to a loopback gateway (a local fake gateway in tests and the demo).
 *
 * The URL is sent as the URL parser writes it (`href`: ASCII, percent-encoded). A string the
 * parser would have to repair is refused instead: control characters and white space, which it
 * silently drops (so the callback would go somewhere other than what was written) and which
 * cannot travel in a header.
 *
 * @throws {ValidationError} for a URL that is not https (or allowed loopback http), holds control
 * characters or white space, is longer than {@link MAX_WEBHOOK_URL_LENGTH}, or a bad mode.
 */
export function webhookHeaders(webhook: WebhookRegistration, gatewayBaseUrl: URL): Record<string, string> {
  const issues: ValidationIssue[] = [];
  if (typeof webhook !== "object" || webhook === null) {
    throw new ValidationError([
      {
        path: ["webhook"],
        message: "must be an object",
        received: webhook,
        allowed: '{ url, mode?: "terminal" | "sync" }',
      },
    ]);
  }
  const allowed = "an absolute https:// URL (http:// only to a loopback host while the gateway is loopback too)";
  // Each read once: a getter cannot have one value checked and another sent.
  const { url: raw, mode } = webhook;
  let url: URL | undefined;
  try {
    url = typeof raw === "string" ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    issues.push({ path: ["webhook", "url"], message: "is not an absolute URL", received: raw, allowed });
  } else if (hasControlOrSpace(raw)) {
    issues.push({
      path: ["webhook", "url"],
      message: "holds control characters or white space (percent-encode them, e.g. %20)",
      received: raw,
      allowed,
    });
  } else if (url.href.length > MAX_WEBHOOK_URL_LENGTH) {
    issues.push({
      path: ["webhook", "url"],
      message: `is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`,
      received: raw,
      allowed,
    });
  } else {
    const localTest =
      url.protocol === "http:" && isLoopbackHost(url.hostname) && isLoopbackHost(gatewayBaseUrl.hostname);
    if (url.protocol !== "https:" && !localTest) {
      issues.push({
        path: ["webhook", "url"],
        message: "must use https: the gateway rejects plain http callbacks",
        received: raw,
        allowed,
      });
    }
  }
  if (mode !== undefined && !(WEBHOOK_MODES as readonly string[]).includes(mode)) {
    issues.push({
      path: ["webhook", "mode"],
      message: "is not a webhook mode",
      received: mode,
      allowed: WEBHOOK_MODES.map((known) => JSON.stringify(known)).join(", "),
    });
  }
  if (issues.length > 0 || !url) throw new ValidationError(issues);
  return {
    "x-webhook-url": url.href,
    ...(mode ? { "x-webhook-mode": mode } : {}),
  };
}

/** Whether a text holds a C0 or C1 control character, DEL, or any white space. */
function hasControlOrSpace(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return /\s/u.test(text);
}
