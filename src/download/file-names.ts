import type { JobStatus } from "../gateway/schemas.js";

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
 * File names for every media URL of a job: `<request_id>.<ext>`, or `<request_id>-<n>.<ext>`
 * when there are several, with characters unsafe in file names replaced.
 */
export function mediaFileNames(job: JobStatus): string[] {
  const urls = job.output?.media_url ?? [];
  const stem = job.request_id.replace(/[^A-Za-z0-9._-]/g, "_");
  return urls.map((url, index) => {
    const extension = extensionFor(job.output?.media_type, url);
    return urls.length === 1 ? `${stem}.${extension}` : `${stem}-${index + 1}.${extension}`;
  });
}
