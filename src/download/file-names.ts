import type { JobStatus } from "../gateway/schemas.js";
import { fnv1a64 } from "../internal/fnv1a.js";

/** File extensions of the media types the LTX models produce, and a few neighbours. */
const EXTENSIONS: Record<string, string> = {
  "video/mp4": "mp4",
  "video/webm": "webm",
  "video/quicktime": "mov",
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

/** The extension for a job's media: from its `media_type`, else from the URL's path, else `bin`. */
export function extensionFor(mediaType: string | undefined, url: string): string {
  const known = mediaType ? EXTENSIONS[mediaType.split(";")[0]?.trim().toLowerCase() ?? ""] : undefined;
  if (known) return known;
  const fromPath = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1];
  return fromPath && fromPath.toLowerCase() !== "ext" ? fromPath.toLowerCase() : "bin";
}

/**
 * Longest stem kept whole. Longer request ids keep their first characters and gain a hash of the
 * whole id, so names stay distinct and fit every file system (255 bytes a name).
 */
const MAX_STEM_LENGTH = 120;

/** A file name stem for a request id: safe characters only, at most 120 + 17 characters. */
export function fileStem(requestId: string): string {
  const safe = requestId.replace(/[^A-Za-z0-9._-]/g, "_");
  if (safe.length <= MAX_STEM_LENGTH) return safe;
  return `${safe.slice(0, MAX_STEM_LENGTH)}-${fnv1a64(requestId)}`;
}

/**
 * File names for every media URL of a job: `<request_id>.<ext>`, or `<request_id>-<n>.<ext>`
 * when there are several, with characters unsafe in file names replaced and a request id over
 * 120 characters shortened (its start, and a hash of the whole).
 */
export function mediaFileNames(job: JobStatus): string[] {
  const urls = job.output?.media_url ?? [];
  const stem = fileStem(job.request_id);
  return urls.map((url, index) => {
    const extension = extensionFor(job.output?.media_type, url);
    return urls.length === 1 ? `${stem}.${extension}` : `${stem}-${index + 1}.${extension}`;
  });
}
