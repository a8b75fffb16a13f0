/*
 * How much a job asks of the model, from its checked input: LTX run time grows with what is
 * generated, frames (duration × fps, or num_frames) times pixels. Run times are learned per unit
 * of this work, so a 10-second 2160p job and a 6-second 1080p job of one model inform each
 * other. Where the input does not say (an audio-driven length, a size derived from an image),
 * a factor is left at 1 and the model's run times carry the difference.
 *
 * Defaults are the reference's where it gives them (duration 6, fps 25, resolution 1080p);
 * where it gives none, the value noted below is the SDK's assumption, used for estimates only.
 */

/** Output height in pixels of each documented resolution; widths follow at 16:9. */
const HEIGHTS: Readonly<Record<string, number>> = { "720p": 720, "1080p": 1080, "1440p": 1440, "2160p": 2160 };

/** Megapixels of a 16:9 frame of this height. */
const megapixels = (height: number) => (height * height * (16 / 9)) / 1e6;

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
}

const megapixels768 = (768 * 768) / 1e6;

/** Megapixels of `video_size` ("768x768"), or `undefined` for "auto" and other forms. */
function sizeMegapixels(value: unknown): number | undefined {
  const match = typeof value === "string" ? /^(\d+)x(\d+)$/i.exec(value) : null;
  return match ? (Number(match[1]) * Number(match[2])) / 1e6 : undefined;
}

/**
 * The work of a job in frame-megapixels (frames × megapixels per frame), or 1 where its input
 * gives neither: a relative measure, only ever divided by another job's of the same model.
 */
export function jobWork(modelId: string, input: Readonly<Record<string, unknown>>): number {
  const height = HEIGHTS[String(input.resolution ?? "1080p")] ?? 1080;
  switch (modelId) {
    case "ltx-2-3-text-to-video":
    case "ltx-2-3-image-to-video":
    case "ltx-2-video-api-581":
      return numberOr(input.duration, 6) * numberOr(input.fps, 25) * megapixels(height);
    case "lightricks-video":
      // The reference gives this model no fps; 25, as its siblings' default, is the SDK's assumption.
      return numberOr(input.duration, 6) * 25 * megapixels(height);
    case "ltx-2-3-retake-video":
      // The retaken segment's length; fps and size come from the source video, unknown here.
      return numberOr(input.duration, 1);
    case "ltx-2-19b-api-513":
      // The reference gives no defaults: 121 frames and 768x768 (its example size) for "auto" or
      // a size left out are the SDK's assumptions.
      return numberOr(input.num_frames, 121) * (sizeMegapixels(input.video_size) ?? megapixels768);
    default:
      return 1;
  }
}

/** The work of a job of `modelId` with every field left to its default: the prior's yardstick. */
export function typicalWork(modelId: string): number {
  return jobWork(modelId, {});
}

/**
 * Whether a checked input names a file the gateway fetches (`image_url`, `video_url`,
 * `audio_url`, `end_image_url`): the one cause of an immediate `ERROR` the SDK can foresee.
 */
export function fetchesInputs(input: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(input).some(([field, value]) => field.endsWith("_url") && typeof value === "string");
}
