import { ValidationError } from "../errors/errors.js";
import type { JobStatus } from "../job/status.js";
import { isHttpUrl } from "../models/fields.js";

/** The media URL a download fetches, and the job it belongs to. */
export interface MediaSource {
  readonly url: string;
  readonly requestId: string | undefined;
}

/**
 * The media URL and job a download concerns, checked before anything is sent.
 *
 * @throws {ValidationError} for a job that is not `COMPLETED` or has no media, an index out of
 * range, or a media URL that is not absolute http(s).
 */
export function mediaSource(source: JobStatus | string, index: number): MediaSource {
  if (typeof source === "string") {
    if (!isHttpUrl(source)) {
      throw new ValidationError([
        {
          path: ["source"],
          message: "is not an absolute http(s) URL",
          received: printableUrl(source),
          allowed: "a completed job or a media URL",
        },
      ]);
    }
    return { url: source, requestId: undefined };
  }
  const urls = source?.output?.media_url ?? [];
  if (source?.status !== "COMPLETED" || urls.length === 0) {
    throw new ValidationError([
      {
        path: ["source"],
        message: `job ${source?.request_id} has no media to download (status ${source?.status})`,
        allowed: "a COMPLETED status object with output.media_url",
      },
    ]);
  }
  const url = urls[index];
  if (!Number.isInteger(index) || index < 0 || url === undefined) {
    throw new ValidationError([
      {
        path: ["index"],
        message: "is not an index of output.media_url",
        received: index,
        allowed: `an integer from 0 to ${urls.length - 1}`,
      },
    ]);
  }
  if (typeof url !== "string" || !isHttpUrl(url)) {
    throw new ValidationError(
      [
        {
          path: ["source", "output", "media_url", index],
          message: "is not an absolute http(s) URL",
          received: typeof url === "string" ? printableUrl(url) : url,
          allowed: "an http(s) URL to download",
        },
      ],
      { requestId: source.request_id },
    );
  }
  return { url, requestId: source.request_id };
}

/**
 * A URL fit for messages: origin and path only. The query of a CDN URL is usually a signed
 * token, and userinfo is a password; neither is a thing to log.
 */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === "null" ? `${parsed.protocol}…` : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/**
 * A function removing the secret parts of `url` (userinfo, query) from a text, for messages of
 * errors raised below the SDK, which quote the URL they were given as they please.
 */
export function urlScrubber(url: string): (text: string) => string {
  const printable = printableUrl(url);
  const secrets = new Set<string>();
  const whole = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    whole.add(parsed.href);
    for (const part of [parsed.username, parsed.password, parsed.search.slice(1)]) {
      secrets.add(part);
      secrets.add(safeDecode(part));
    }
  } catch {
    // Not a URL: nothing beyond the text itself to find.
  }
  // Parts of one or two characters are not worth hiding and would garble every message.
  const ordered = [...secrets].filter((secret) => secret.length > 2).sort((a, b) => b.length - a.length);
  return (text) => {
    let clean = text;
    for (const form of whole) clean = clean.split(form).join(printable);
    for (const secret of ordered) clean = clean.split(secret).join("[redacted]");
    return clean;
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
