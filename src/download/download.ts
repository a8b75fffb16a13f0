import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, truncate, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DownloadError, ValidationError } from "../errors/errors.js";
import { backoffDelayMs } from "../gateway/retry-rules.js";
import type { JobStatus } from "../gateway/schemas.js";
import { callIsolated } from "../internal/isolated.js";
import { sleep } from "../internal/sleep.js";
import { isHttpUrl } from "../models/fields.js";
import type { MediaGet } from "./media-http.js";

/** Progress of a download, for progress bars. */
export interface DownloadProgress {
  /** Bytes on disk so far. */
  readonly bytes: number;
  /** The full size, when the media host announced it. */
  readonly totalBytes: number | undefined;
}

/** Options of `client.download()`. */
export interface DownloadOptions {
  /** Aborts the download; the partial file is removed and the promise rejects with the reason. */
  signal?: AbortSignal | undefined;
  /**
   * Called after every chunk received. A throw from it is ignored (the first is reported once as
   * a process warning): it cannot fail or restart the download; abort with `signal` instead.
   */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /**
   * Which of the job's `output.media_url` entries to download.
   * @default 0
   */
  index?: number | undefined;
}

/** A finished download. */
export interface DownloadResult {
  /** Absolute path of the file written. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The media host's `Content-Type`, if it sent one. */
  readonly contentType: string | undefined;
}

/** The media URL and job a download concerns, checked before anything is sent. */
export function mediaSource(source: JobStatus | string, index: number): { url: string; requestId: string | undefined } {
  if (typeof source === "string") {
    if (!isHttpUrl(source)) {
      throw new ValidationError([
        {
          path: ["source"],
          message: "is not an absolute http(s) URL",
          received: source,
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
  return { url, requestId: source.request_id };
}

/** A URL for error messages: no query string, which may hold a signed token. */
function printable(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** Buffer of the stream writing to disk: how much may wait in memory for the disk. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Parses `Content-Range: bytes START-END/TOTAL`. */
function contentRange(value: string | undefined): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value?.trim() ?? "");
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === "*" ? undefined : Number(match[2]) };
}

/** Everything one download needs besides its source and target. */
export interface DownloadContext {
  readonly get: MediaGet;
  /** Retries after a dropped connection or a 5xx from the media host. */
  readonly maxRetries: number;
}

/**
 * Streams a media URL to `filePath`, one chunk in memory at a time. Bytes go to a temporary file
 * beside the target, renamed into place only once complete (and, where the host sent a length,
 * of that length), so an interrupted download never leaves a file that looks finished. A dropped
 * connection resumes with a `Range` request when the host supports it, otherwise restarts,
 * within `maxRetries`.
 *
 * @throws {DownloadError} when the host answers an error or the retries run out.
 * @throws the signal's reason on abort (the partial file is removed).
 */
export async function downloadToFile(
  context: DownloadContext,
  source: { url: string; requestId: string | undefined },
  filePath: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const target = resolve(filePath);
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.part`);
  await writeFile(partial, "");
  const signal = options.signal;
  let bytes = 0;
  let totalBytes: number | undefined;
  let contentType: string | undefined;
  let resumable = false;
  let validator: string | undefined;
  const fail = (message: string, extra: { status?: number; cause?: unknown } = {}) =>
    new DownloadError({
      message,
      url: printable(source.url),
      bytesReceived: bytes,
      requestId: source.requestId,
      ...extra,
    });

  try {
    for (let retries = 0; ; retries++) {
      signal?.throwIfAborted();
      const headers: Record<string, string> = {};
      if (bytes > 0 && resumable) {
        headers.range = `bytes=${bytes}-`;
        if (validator) headers["if-range"] = validator;
      }
      let failure: DownloadError;
      try {
        const response = await context.get(source.url, headers, signal);
        if (response.status === 206 && bytes > 0 && contentRange(response.header("content-range"))?.start === bytes) {
          totalBytes = contentRange(response.header("content-range"))?.total ?? totalBytes;
        } else if (response.status >= 200 && response.status < 300) {
          // A fresh body (first attempt, or the host ignored the Range): start the file over.
          if (bytes > 0) await truncate(partial, 0);
          bytes = 0;
          const length = Number(response.header("content-length"));
          totalBytes = Number.isFinite(length) && response.header("content-length") !== undefined ? length : undefined;
          resumable = response.header("accept-ranges")?.toLowerCase() === "bytes";
          validator = response.header("etag") ?? response.header("last-modified");
          contentType = response.header("content-type");
        } else {
          await response.discard();
          throw fail(`The media host answered ${response.status} for ${printable(source.url)}`, {
            status: response.status,
          });
        }
        // Piped into a write stream: while one write is on its way to disk, the chunks that
        // arrive meanwhile are gathered and written together, so a large file goes at disk
        // speed; memory stays bounded by the stream's buffer. Only bytes on disk count for a
        // resume, which starts exactly where the file ends.
        const start = bytes;
        const sink = createWriteStream(partial, { flags: "r+", start, highWaterMark: WRITE_BUFFER_BYTES });
        let received = start;
        try {
          const onProgress = options.onProgress;
          const count = (chunk: Uint8Array): void => {
            received += chunk.byteLength;
            // A progress display that fails must not fail (or retry) the download.
            if (onProgress) callIsolated("The onProgress callback", () => onProgress({ bytes: received, totalBytes }));
          };
          await pipeInto(response.body, sink, count);
        } finally {
          // Whatever arrived before a dropped connection reaches the disk before the resume
          // reads the file's length from what was written. A sink the pipe already destroyed
          // (a dropped connection) has closed, and counts only what reached the disk.
          if (!sink.closed) {
            sink.end();
            await once(sink, "close");
          }
          bytes = start + sink.bytesWritten;
        }
        if (totalBytes === undefined || bytes === totalBytes) break;
        failure = fail(`The media body ended at ${bytes} of ${totalBytes} bytes (Content-Length mismatch)`);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        // A definite refusal (403, 404, 410, ...) will not change on a retry.
        if (error instanceof DownloadError && error.status !== undefined && !isTransient(error.status)) throw error;
        failure =
          error instanceof DownloadError
            ? error
            : fail(`The media download was interrupted: ${(error as Error).message}`, { cause: error });
      }
      if (retries >= context.maxRetries) throw failure;
      await sleep(backoffDelayMs(retries), signal);
    }
    await rename(partial, target);
    return { path: target, bytes, contentType };
  } catch (error) {
    await unlink(partial).catch(() => {});
    throw error;
  }
}

/**
 * Writes a body into `sink`, telling `count` of each chunk. A Node stream body (undici's) is
 * piped, which moves chunks without a promise per chunk and is fastest before the JIT has warmed
 * up; any other async iterable (a fetch body) is copied chunk by chunk. The sink is left open.
 */
async function pipeInto(
  body: AsyncIterable<Uint8Array>,
  sink: WriteStream,
  count: (chunk: Uint8Array) => void,
): Promise<void> {
  if (body instanceof Readable) {
    body.on("data", count);
    await pipeline(body, sink, { end: false });
    return;
  }
  for await (const chunk of body) {
    count(chunk);
    if (!sink.write(chunk)) await once(sink, "drain");
  }
}
