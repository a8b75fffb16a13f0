import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Transport } from "../http/transport.js";
import type { JobStatus } from "../job/status.js";
import { type DownloadOptions, type DownloadResult, downloadToFile } from "./download.js";
import { mediaFileNames, sniffExtension } from "./file-names.js";
import { mediaGet } from "./media-http.js";
import { mediaSource } from "./media-source.js";

/*
 * The client's file downloads. This module and everything below it (node:fs, node:stream,
 * node:zlib) is loaded the first time a download is asked for, never at import: a program that
 * only submits and waits, or runs where there is no file system, does not pay for it.
 */

/** What the client lends its downloads: the media transport and its retry settings. */
export interface SavingContext {
  /** Media GETs share the gateway's transport but never see the key. */
  readonly transport: () => Promise<Transport>;
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
    const saved = await downloadToFile(context, media, join(directory, name), { ...options, index });
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
