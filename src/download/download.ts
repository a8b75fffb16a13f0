import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod/mini";
import { DownloadError, ValidationError } from "../errors/errors.js";
import type { Transport } from "../http/transport.js";
import { backoffDelayMs } from "../internal/backoff.js";
import { MAX_TIMER_MS, sleep } from "../internal/sleep.js";
import type { JobStatus } from "../job/status.js";
import { checkOptions, numberFrom } from "../options/checks.js";
import { type AttemptFailure, attempt, type DownloadState } from "./attempt.js";
import { mediaFileNames, sniffExtension } from "./file-names.js";
import { mediaGet } from "./media-http.js";
import { type MediaSource, mediaSource, printableUrl } from "./media-source.js";
import { PartialFile } from "./target-file.js";

/*
 * The client's file downloads: `client.download()` and `downloadAll()`. This module and
 * everything below it (node:fs, node:stream, node:zlib) is loaded the first time a download is
 * asked for, never at import: a program that only submits and waits, or runs where there is no
 * file system, does not pay for it.
 */

/** The longest silence of a download, checked when it starts (a timer holds it). */
const STALL_TIMEOUT = z.object({
  stallTimeoutMs: numberFrom(1, MAX_TIMER_MS, `an integer from 1 to ${MAX_TIMER_MS} (milliseconds)`, { integer: true }),
});

/** Progress of a download, for progress bars. */
export interface DownloadProgress {
  /** Bytes on disk so far. */
  readonly bytes: number;
  /** The full size, when the media host announced it. */
  readonly totalBytes: number | undefined;
}

/** Options of `client.download()`. */
export interface DownloadOptions {
  /** Aborts the download at once; the partial file is removed and the promise rejects with the reason. */
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
  /**
   * Longest silence from the media host, in milliseconds: waiting this long for the response
   * headers, or for the next bytes of the body, ends the attempt, which then resumes (or
   * restarts) like a dropped connection. There is no limit on the whole download, which may be
   * gigabytes; bound it with `signal`.
   * @default the client's `requestTimeoutMs` (30000)
   */
  stallTimeoutMs?: number | undefined;
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

/** What the client lends its downloads. */
export interface DownloadContext {
  /** The client's transport: media GETs share the gateway's sockets but never see the key. */
  readonly transport: () => Promise<Transport>;
  /** Attempts in a row that may fail without bringing more of the file to disk, minus one. */
  readonly maxRetries: number;
  /** The default of `stallTimeoutMs`: the client's `requestTimeoutMs`. */
  readonly stallTimeoutMs: number;
}

/**
 * Most attempts one download makes, progress or not: a host that drops every connection after
 * a few bytes ends in a `DownloadError`, not in a loop.
 */
export const MAX_DOWNLOAD_ATTEMPTS = 100;

/**
 * Streams a media URL to `filePath`, one chunk in memory at a time, into a partial file renamed
 * into place only once complete: of the announced length where one was announced, and made of
 * parts that provably belong to one version of the file (see `resume.ts`). A dropped connection
 * or a stall resumes with `Range` where the host allows it, otherwise restarts. Attempts that
 * bring the file further do not count against `maxRetries`; at most
 * {@link MAX_DOWNLOAD_ATTEMPTS} are made in all.
 *
 * @throws {ValidationError} before any request when the target cannot be written.
 * @throws {DownloadError} when the host refuses, or attempts without progress run out.
 * @throws the signal's reason on abort. In every failure the partial file is removed.
 */
async function saveTo(
  context: DownloadContext,
  source: MediaSource,
  filePath: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  const stallTimeoutMs = options.stallTimeoutMs ?? context.stallTimeoutMs;
  checkOptions(STALL_TIMEOUT, { stallTimeoutMs }, ["options"]);
  options.signal?.throwIfAborted();
  const file = await PartialFile.create(filePath);
  const state: DownloadState = { bytes: 0, identity: undefined, contentType: undefined };
  const signal = options.signal;
  const get = mediaGet(context.transport);
  let furthest = 0;
  let failuresInARow = 0;
  try {
    for (let attempts = 1; ; attempts++) {
      signal?.throwIfAborted();
      const failure: AttemptFailure | undefined = await attempt({
        get,
        source,
        file,
        state,
        stallTimeoutMs,
        signal,
        onProgress: options.onProgress,
      });
      if (failure === undefined) {
        if (state.identity?.totalBytes === undefined || state.bytes === state.identity.totalBytes) break;
        // A 206 that served less than the rest: ask for what remains.
        if (attempts < MAX_DOWNLOAD_ATTEMPTS) continue;
        throw new DownloadError({
          message: `The media host sent the file in more than ${MAX_DOWNLOAD_ATTEMPTS} parts`,
          url: printableUrl(source.url),
          bytesReceived: state.bytes,
          requestId: source.requestId,
        });
      }
      // Attempts that bring more of the file to disk than ever before are not failures to count,
      // and the next one starts at once; only attempts in a row without progress wait and count.
      const progressed = state.bytes > furthest;
      if (progressed) {
        furthest = state.bytes;
        failuresInARow = 0;
      }
      if (failure.final) throw failure.error;
      if (attempts >= MAX_DOWNLOAD_ATTEMPTS) {
        throw new DownloadError({
          message: `${failure.error.message} (gave up after ${attempts} attempts)`,
          url: failure.error.url,
          bytesReceived: state.bytes,
          requestId: source.requestId,
          cause: failure.error,
        });
      }
      if (!progressed) {
        if (failuresInARow >= context.maxRetries) throw failure.error;
        await sleep(backoffDelayMs(failuresInARow), signal);
        failuresInARow += 1;
      }
    }
    await file.commit({ url: printableUrl(source.url), requestId: source.requestId, bytes: state.bytes });
    return { path: file.target, bytes: state.bytes, contentType: state.contentType };
  } catch (error) {
    await file.discard();
    throw error;
  }
}

/**
 * `client.download()`: one media URL of a job (`options.index`), or a URL, to `filePath`.
 *
 * @throws as {@link saveTo}, and {@link ValidationError} for a job without that media.
 */
export function download(
  context: DownloadContext,
  source: JobStatus | string,
  filePath: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  return saveTo(context, mediaSource(source, options.index ?? 0), filePath, options);
}

/**
 * `client.downloadAll()`: every media URL of a job into `directory`, in `media_url` order, named
 * from `stem` (a batch's item name) or else the request id.
 */
export async function downloadAll(
  context: DownloadContext,
  job: JobStatus,
  directory: string,
  options: Omit<DownloadOptions, "index">,
  stem?: string,
): Promise<DownloadResult[]> {
  // Every URL is checked before the first request, so a bad one fails the call at once.
  mediaSource(job, 0);
  for (const index of (job.output?.media_url ?? []).keys()) mediaSource(job, index);
  const results: DownloadResult[] = [];
  for (const [index, name] of mediaFileNames(job, stem).entries()) {
    const saved = await saveTo(context, mediaSource(job, index), join(directory, name), { ...options, index });
    results.push(name.endsWith(".bin") ? await renamedBySignature(saved) : saved);
  }
  return results;
}

/**
 * A file saved as `.bin` (a generic media type and a URL without an extension, as the
 * reference's `application/octet-stream` and `output.ext`), renamed to the extension its first
 * bytes announce; left as it is when they announce none.
 */
async function renamedBySignature(saved: DownloadResult): Promise<DownloadResult> {
  const file = await open(saved.path, "r");
  let head: Uint8Array;
  try {
    const { buffer, bytesRead } = await file.read(new Uint8Array(16), 0, 16, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  const extension = sniffExtension(head);
  if (!extension) return saved;
  const path = `${saved.path.slice(0, -".bin".length)}.${extension}`;
  await rename(saved.path, path);
  return { ...saved, path };
}
