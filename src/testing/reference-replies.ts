/*
 * How the reference shows a finished job, per model and per channel, for the fake gateway to
 * answer the same way. Its "Response (Completed)" examples (a status read) and "Callback Payload"
 * examples (a webhook) differ, and so does the fake:
 *
 * - status reads: LTX v2.3 Text to Video and Image to Video show `"video/mp4"` and `…/output.mp4`;
 *   the other five models show `"application/octet-stream"` and `…/output.ext`. Every timestamp
 *   is ISO 8601 (`2026-03-31T10:00:15.000Z`).
 * - callbacks: every model shows `"video/mp4"` and `…/output.mp4`, with `created_at` in ISO 8601
 *   and `updated_at` / `completed_at` space-separated without a zone (`2026-05-22 13:19:23`).
 */

/** Where a status object goes: answered to a status read, or POSTed as a callback. */
export type ReplyChannel = "status" | "callback";

/** A completed job's output as the reference shows it: the media type and the file name on the CDN. */
export interface OutputShape {
  readonly mediaType: string;
  readonly fileName: string;
}

const MP4: OutputShape = { mediaType: "video/mp4", fileName: "output.mp4" };
const GENERIC: OutputShape = { mediaType: "application/octet-stream", fileName: "output.ext" };

/** The output of a status read, per model, as each model's "Response (Completed)" shows it. */
const STATUS_OUTPUT: Readonly<Record<string, OutputShape>> = {
  "ltx-2-3-text-to-video": MP4,
  "ltx-2-3-image-to-video": MP4,
  "ltx-2-3-audio-to-video": GENERIC,
  "ltx-2-3-retake-video": GENERIC,
  "lightricks-video": GENERIC,
  "ltx-2-19b-api-513": GENERIC,
  "ltx-2-video-api-581": GENERIC,
};

/** The output the reference shows for `modelId` on `channel`. */
export function outputShapeOf(modelId: string, channel: ReplyChannel): OutputShape {
  return channel === "callback" ? MP4 : (STATUS_OUTPUT[modelId] ?? GENERIC);
}

/** `2026-05-22 13:19:23`: the zone-less form the reference's callbacks show. */
function spaced(date: Date): string {
  return date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "");
}

/** A timestamp as the reference shows it on `channel` (`created_at` is ISO 8601 everywhere). */
export function timestampOf(
  date: Date,
  channel: ReplyChannel,
  field: "created_at" | "updated_at" | "completed_at",
): string {
  return channel === "callback" && field !== "created_at" ? spaced(date) : date.toISOString();
}
