import { fnv1a64 } from "../internal/fnv1a.js";
import type { JobStatus } from "../job/status.js";

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

/**
 * The extension for a job's media: from its `media_type`, else from the URL's path, else `bin`
 * (which `downloadAll` replaces by what the file's first bytes announce, see {@link sniffExtension}).
 */
export function extensionFor(mediaType: string | undefined, url: string): string {
  const known = mediaType ? EXTENSIONS[mediaType.split(";")[0]?.trim().toLowerCase() ?? ""] : undefined;
  if (known) return known;
  const fromPath = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1];
  return fromPath && fromPath.toLowerCase() !== "ext" ? fromPath.toLowerCase() : "bin";
}

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/**
 * The extension a file's first bytes announce (its format's signature), for media whose type is
 * generic (`application/octet-stream`) and whose URL names none (the reference's `output.ext`).
 *
 * @param head at least the file's first 12 bytes.
 * @returns `mp4`, `mov`, `webm`, `png`, `jpg`, `gif`, `webp`, `wav` or `mp3`; `undefined` when
 * the bytes match none of them.
 */
export function sniffExtension(head: Uint8Array): string | undefined {
  if (head.length >= 12 && ascii(head, 4, 8) === "ftyp") return ascii(head, 8, 12) === "qt  " ? "mov" : "mp4";
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return "webm";
  if (head[0] === 0x89 && ascii(head, 1, 4) === "PNG") return "png";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpg";
  if (ascii(head, 0, 4) === "GIF8") return "gif";
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return "webp";
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WAVE") return "wav";
  if (ascii(head, 0, 3) === "ID3" || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return "mp3";
  return undefined;
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
 * File names for every media URL of a job: `<stem>.<ext>`, or `<stem>-<n>.<ext>` when there are
 * several. The stem defaults to the request id, with characters unsafe in file names replaced
 * and an id over 120 characters shortened (its start, and a hash of the whole).
 */
export function mediaFileNames(job: JobStatus, stem = fileStem(job.request_id)): string[] {
  const urls = job.output?.media_url ?? [];
  return urls.map((url, index) => {
    const extension = extensionFor(job.output?.media_type, url);
    return urls.length === 1 ? `${stem}.${extension}` : `${stem}-${index + 1}.${extension}`;
  });
}
