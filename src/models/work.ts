/*
 * How much a job asks of its model, from its checked input: LTX run time grows with what is
 * generated, frames (duration × fps, or num_frames) times pixels. Each model file declares its own
 * `work`; a wait only ever sees a job's work relative to the model's defaults (`relativeWork`), so
 * run times learned from a 6-second 1080p job scale to a 10-second 2160p one. Where an input does
 * not say (an audio-driven length, a size derived from an image), a factor stays at its default.
 */

/** Output height in pixels of each documented resolution; widths follow at 16:9. */
const HEIGHTS: Readonly<Record<string, number>> = { "720p": 720, "1080p": 1080, "1440p": 1440, "2160p": 2160 };

/** A positive finite number, or `fallback`. */
export function positiveOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Megapixels of a 16:9 frame at a documented `resolution` ("1080p" when absent or unknown). */
export function resolutionMegapixels(resolution: unknown): number {
  const height = HEIGHTS[String(resolution ?? "1080p")] ?? 1080;
  return (height * height * (16 / 9)) / 1e6;
}

/** Megapixels of a `"768x768"`-style size, or `fallback` for `"auto"`, other forms and 0 pixels. */
export function sizeMegapixels(size: unknown, fallback: number): number {
  const match = typeof size === "string" ? /^(\d{1,5})x(\d{1,5})$/i.exec(size) : null;
  return positiveOr(match ? (Number(match[1]) * Number(match[2])) / 1e6 : undefined, fallback);
}

/** Bounds of a job's work relative to its model's defaults: past them, it says nothing more. */
const RELATIVE_WORK_BOUNDS = [1 / 64, 64] as const;

/**
 * A job's work over the work of its model's defaults (1 for an input that leaves every size field
 * out), always finite and within [1/64, 64], whatever the input says.
 */
export function relativeWork(
  work: (input: Readonly<Record<string, unknown>>) => number,
  input: Readonly<Record<string, unknown>>,
): number {
  // An overflowing work counts as the largest, anything else not a positive number as the defaults'.
  const measure = (value: number) => (value > 0 ? Math.min(value, Number.MAX_VALUE) : 1);
  const ratio = measure(work(input)) / measure(work({}));
  return Math.min(RELATIVE_WORK_BOUNDS[1], Math.max(RELATIVE_WORK_BOUNDS[0], positiveOr(ratio, 1)));
}
