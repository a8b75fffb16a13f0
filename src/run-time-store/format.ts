/*
 * Remembering run times across processes (opt-in): a command-line run or a short-lived function
 * otherwise starts every time with nothing learned. The stored text is an outsider's file: it is
 * bounded in size, every value is range-checked on the way in, and a save merges with what another
 * process stored meanwhile instead of overwriting it.
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
  /** Replaces what is stored with `text` (a few KiB per model). */
  save(text: string): Promise<void> | void;
}

/** One job's end: when it was seen (ms since the epoch) and its run time in seconds. */
export type RunTimeSample = readonly [endedAt: number, seconds: number];

/**
 * Per model, the recent completed jobs' run times at the model's default size, and the recent
 * failed jobs' run times as they were (a failure says nothing of the work).
 */
export interface RunTimesSnapshot {
  readonly [modelId: string]: {
    readonly completed: readonly RunTimeSample[];
    readonly failed: readonly RunTimeSample[];
  };
}

/** The stored format's version; another version is ignored. */
const VERSION = 2;
/** Most models kept, and most samples of each list: what a store holds stays small. */
const MAX_MODELS = 64;
export const MAX_SAMPLES = 32;
/** Longest text read back (64 full models are about 110 KiB). */
export const MAX_STORED_BYTES = 256 * 1024;
/**
 * Run times believed, in seconds: an LTX job under a second or over a day says nothing true of its
 * model, so such a value is dropped wherever it comes from. A failure may come at once.
 */
export const RANGE_S = { completed: [1, 86_400], failed: [0, 86_400] } as const;

/** The snapshot as the text a store keeps. */
export function serialiseRunTimes(snapshot: RunTimesSnapshot): string {
  return JSON.stringify({ version: VERSION, models: snapshot });
}

/**
 * The samples of `value` inside `[min, max]` seconds, at most the latest 32, and how many were
 * dropped. A sample dated more than a day ahead is dropped too: it would outrank every new one.
 */
function samples(value: unknown, [min, max]: readonly [number, number]): { kept: RunTimeSample[]; dropped: number } {
  const list = Array.isArray(value) ? value.slice(-MAX_SAMPLES) : [];
  const latest = Date.now() + 86_400_000;
  const kept = list.filter(
    (item): item is RunTimeSample =>
      Array.isArray(item) &&
      item.length === 2 &&
      typeof item[0] === "number" &&
      item[0] >= 0 &&
      item[0] <= latest &&
      typeof item[1] === "number" &&
      item[1] >= min &&
      item[1] <= max,
  );
  return { kept, dropped: Array.isArray(value) ? value.length - kept.length : value === undefined ? 0 : 1 };
}

/**
 * The snapshot in `text` with every value out of range dropped (and counted), or the reason it
 * cannot be used at all: too large, not JSON, another version, too many models.
 */
export function parseRunTimes(
  text: string,
):
  | { readonly snapshot: RunTimesSnapshot; readonly dropped: number; readonly problem?: undefined }
  | { readonly problem: string } {
  if (text.length > MAX_STORED_BYTES) return { problem: `larger than ${MAX_STORED_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  const { version, models } = (parsed ?? {}) as { version?: unknown; models?: unknown };
  if (version !== VERSION) return { problem: `not format version ${VERSION}` };
  if (typeof models !== "object" || models === null || Array.isArray(models)) return { problem: "no models" };
  const entries = Object.entries(models);
  if (entries.length > MAX_MODELS) return { problem: `more than ${MAX_MODELS} models` };
  const kept: [string, RunTimesSnapshot[string]][] = [];
  let dropped = 0;
  for (const [modelId, entry] of entries) {
    const { completed, failed } = (entry ?? {}) as Record<string, unknown>;
    const ok = samples(completed, RANGE_S.completed);
    const failures = samples(failed, RANGE_S.failed);
    dropped += ok.dropped + failures.dropped;
    if (modelId.length <= 100) kept.push([modelId, { completed: ok.kept, failed: failures.kept }]);
    else dropped++;
  }
  // Own properties only, whatever the ids are ("__proto__" included).
  return { snapshot: Object.fromEntries(kept), dropped };
}

/** Both lists of each model, every sample once, in the order the jobs ended, the latest 32 kept. */
export function mergeRunTimes(a: RunTimesSnapshot, b: RunTimesSnapshot): RunTimesSnapshot {
  const union = (x: readonly RunTimeSample[] = [], y: readonly RunTimeSample[] = []) =>
    [...new Map([...x, ...y].map((sample) => [`${sample[0]}:${sample[1]}`, sample])).values()]
      .sort((p, q) => p[0] - q[0])
      .slice(-MAX_SAMPLES);
  const of = (snapshot: RunTimesSnapshot, id: string) => (Object.hasOwn(snapshot, id) ? snapshot[id] : undefined);
  const ids = [...new Set([...Object.keys(a), ...Object.keys(b)])].slice(0, MAX_MODELS);
  return Object.fromEntries(
    ids.map((id) => {
      const [x, y] = [of(a, id), of(b, id)];
      return [id, { completed: union(x?.completed, y?.completed), failed: union(x?.failed, y?.failed) }];
    }),
  );
}
