import { join } from "node:path";
import type { Dispatcher } from "undici";
import type { FetchLike } from "../gateway/exchange.js";
import type { JobStatus } from "../gateway/schemas.js";
import { type DownloadOptions, type DownloadResult, downloadToFile } from "./download.js";
import { mediaFileNames } from "./file-names.js";
import { mediaGet } from "./media-http.js";
import { mediaSource } from "./media-source.js";

/*
 * The client's file downloads. This module and everything below it (node:fs, node:stream,
 * node:zlib) is loaded the first time a download is asked for, never at import: a program that
 * only submits and waits, or runs where there is no file system, does not pay for it.
 */

/** What the client lends its downloads: the media transport and its retry settings. */
export interface SavingContext {
  /** Media GETs share the gateway's sockets but never see the key. */
  readonly transport: { dispatcher: () => Promise<Dispatcher | undefined>; fetch?: undefined } | { fetch: FetchLike };
  readonly maxRetries: number;
  /** The default stall timeout: the client's `requestTimeoutMs`. */
  readonly stallTimeoutMs: number;
}

function contextFor(saving: SavingContext) {
  return { get: mediaGet(saving.transport), maxRetries: saving.maxRetries, stallTimeoutMs: saving.stallTimeoutMs };
}

/** `client.download()`: one media URL of a job, or a URL, to `filePath`. */
export function saveMedia(
  saving: SavingContext,
  source: JobStatus | string,
  filePath: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  const media = mediaSource(source, options.index ?? 0);
  return downloadToFile(contextFor(saving), media, filePath, options);
}

/** `client.downloadAll()`: every media URL of a job into `directory`, in `media_url` order. */
export async function saveAllMedia(
  saving: SavingContext,
  job: JobStatus,
  directory: string,
  options: Omit<DownloadOptions, "index">,
): Promise<DownloadResult[]> {
  // Every URL is checked before the first request, so a bad one fails the call at once.
  mediaSource(job, 0);
  for (const index of (job.output?.media_url ?? []).keys()) mediaSource(job, index);
  const context = contextFor(saving);
  const results: DownloadResult[] = [];
  for (const [index, name] of mediaFileNames(job).entries()) {
    const media = mediaSource(job, index);
    results.push(await downloadToFile(context, media, join(directory, name), { ...options, index }));
  }
  return results;
}
