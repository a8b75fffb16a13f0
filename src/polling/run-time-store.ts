/*
 * Remembering run times across processes (opt-in): a command-line run or a short-lived function
 * otherwise starts every time with nothing learned. What is kept is small and bounded (per model,
 * the last 32 run times and rates), written whole, and checked on the way in: a file that is
 * unreadable, corrupt or from another version is ignored with one warning, never trusted.
 */

/**
 * Where a client keeps what it learned about run times between processes: `load` returns what
 * `save` last stored (or `undefined`), as text. Either may be async. A file path given as the
 * `runTimeStore` option is such a store over that file.
 *
 * @example
 * ```ts
 * const store: RunTimeStore = {
 *   load: () => redis.get("pixazo:run-times").then((text) => text ?? undefined),
 *   save: (text) => redis.set("pixazo:run-times", text).then(() => {}),
 * };
 * ```
 */
export interface RunTimeStore {
  /** What `save` last stored, or `undefined` when nothing was. */
  load(): Promise<string | undefined> | string | undefined;
  /** Replaces what is stored with `text` (about 1 KiB per model). */
  save(text: string): Promise<void> | void;
}

/** Per model: recent run times (ms), logs of seconds per unit of work, and failed jobs' run times (ms). */
export interface RunTimesSnapshot {
  readonly [modelId: string]: {
    readonly durationsMs: readonly number[];
    readonly logRates: readonly number[];
    readonly failuresMs?: readonly number[] | undefined;
  };
}

/** The stored format's version; another version is ignored. */
const VERSION = 1;
/** Most models kept, and most samples of each list: what a store holds stays small. */
const MAX_MODELS = 64;
const MAX_SAMPLES = 32;
/** Longest text read back (a snapshot of 64 models is about 60 KiB). */
export const MAX_STORED_BYTES = 256 * 1024;

/** The snapshot as the text a store keeps. */
export function serialiseRunTimes(snapshot: RunTimesSnapshot): string {
  return JSON.stringify({ version: VERSION, models: snapshot });
}

const numbers = (value: unknown, check: (item: number) => boolean): number[] | undefined =>
  Array.isArray(value) && value.length <= MAX_SAMPLES && value.every((item) => typeof item === "number" && check(item))
    ? (value as number[])
    : undefined;

/**
 * The snapshot in `text`, or the reason it cannot be used: too large, not JSON, another version,
 * or a model entry that is not two short lists of finite numbers (durations ≥ 0).
 */
export function parseRunTimes(
  text: string,
): { readonly snapshot: RunTimesSnapshot; readonly problem?: undefined } | { readonly problem: string } {
  if (text.length > MAX_STORED_BYTES) return { problem: `larger than ${MAX_STORED_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  const { version, models } = (parsed ?? {}) as { version?: unknown; models?: unknown };
  if (version !== VERSION) return { problem: `format version ${String(version)}, expected ${VERSION}` };
  if (typeof models !== "object" || models === null || Array.isArray(models)) return { problem: "no models" };
  const entries = Object.entries(models);
  if (entries.length > MAX_MODELS) return { problem: `more than ${MAX_MODELS} models` };
  const snapshot: Record<string, { durationsMs: number[]; logRates: number[]; failuresMs: number[] }> = {};
  for (const [modelId, entry] of entries) {
    const { durationsMs, logRates, failuresMs } = (entry ?? {}) as Record<string, unknown>;
    const durations = numbers(durationsMs, (item) => Number.isFinite(item) && item >= 0);
    const rates = numbers(logRates, Number.isFinite);
    // Absent in files written before failures were kept apart.
    const failures = failuresMs === undefined ? [] : numbers(failuresMs, (item) => Number.isFinite(item) && item >= 0);
    if (!durations || !rates || !failures)
      return { problem: `model ${JSON.stringify(modelId.slice(0, 80))} is malformed` };
    snapshot[modelId] = { durationsMs: durations, logRates: rates, failuresMs: failures };
  }
  return { snapshot };
}
