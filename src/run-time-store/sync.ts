import { warn } from "../internal/warn.js";
import { parseRunTimes, type RunTimeStore, type RunTimesSnapshot, serialiseRunTimes } from "./format.js";

/** Longest a `runTimeStore` may take to load or save before it is given up on with a warning. */
export const STORE_TIMEOUT_MS = 2_000;

/** What a client knows of run times: a snapshot to keep, and a way to take in what was kept. */
export interface KnownRunTimes {
  snapshot(): RunTimesSnapshot;
  absorb(snapshot: RunTimesSnapshot): void;
}

/**
 * Keeps a client's run times in step with a `runTimeStore` (or a file path): read once, then, as
 * jobs end, merged with what the store holds now (another process may have saved meanwhile) and
 * saved, one save at a time. Anything unusable costs one warning and is never waited on past
 * {@link STORE_TIMEOUT_MS}.
 */
export class StoreSync {
  readonly #known: KnownRunTimes;
  readonly #open: () => Promise<RunTimeStore>;
  /** The store, opened on first use. */
  #store: Promise<RunTimeStore> | undefined;
  #loaded: Promise<void> | undefined;
  /** The save under way; `#dirty` asks for one more when it ends. */
  #saving: Promise<void> | undefined;
  #dirty = false;
  /** One warning per client: a store that cannot be used must not fill the logs. */
  #warned = false;

  /** @param open gives the store: the one given, or the file store over a path. */
  constructor(open: () => Promise<RunTimeStore>, known: KnownRunTimes) {
    this.#known = known;
    this.#open = open;
  }

  /** The store; a rejection (no file system on this runtime) surfaces at each load or save. */
  #resolved(): Promise<RunTimeStore> {
    this.#store ??= this.#open();
    return this.#store;
  }

  /** Reads the store, once, bounded by `ms` for this caller (the load itself by {@link STORE_TIMEOUT_MS}). */
  async loaded(ms: number): Promise<void> {
    this.#loaded ??= this.#load();
    await bounded(this.#loaded, Math.min(ms, STORE_TIMEOUT_MS)).catch(() => {});
  }

  /** Asks for a save of what is known. */
  save(): void {
    if (this.#saving) {
      this.#dirty = true;
      return;
    }
    this.#saving = (async () => {
      try {
        const stored = await this.#read();
        if (stored && stored.problem === undefined) this.#known.absorb(stored.snapshot);
        const text = serialiseRunTimes(this.#known.snapshot());
        await bounded(this.#resolved().then((store) => store.save(text)));
      } catch (error) {
        this.#warnOnce(`pixazo-ltx: the run times could not be saved (${describe(error)})`);
      } finally {
        this.#saving = undefined;
        if (this.#dirty) {
          this.#dirty = false;
          this.save();
        }
      }
    })();
  }

  /** Waits for the last save, if one is under way. */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }

  async #load(): Promise<void> {
    try {
      const stored = await this.#read();
      if (stored?.problem !== undefined) {
        this.#warnOnce(
          `pixazo-ltx: the stored run times were ignored (${stored.problem}); they are rewritten as jobs end`,
        );
      } else if (stored) {
        if (stored.dropped > 0)
          this.#warnOnce(`pixazo-ltx: ${stored.dropped} stored run times out of range were ignored`);
        this.#known.absorb(stored.snapshot);
      }
    } catch (error) {
      this.#warnOnce(`pixazo-ltx: the stored run times could not be read (${describe(error)}); starting without them`);
    }
  }

  #warnOnce(message: string): void {
    if (!this.#warned) warn(message);
    this.#warned = true;
  }

  /** What the store holds, checked; `undefined` when it holds nothing. */
  async #read(): Promise<ReturnType<typeof parseRunTimes> | undefined> {
    const text = await bounded(this.#resolved().then((store) => store.load()));
    if (text === undefined) return undefined;
    return typeof text === "string" ? parseRunTimes(text) : { problem: "not text" };
  }
}

/** `work`, or a rejection once it has taken `ms`. */
async function bounded<T>(work: Promise<T>, ms = STORE_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, giveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** A store's failure, cut short: its message (a store is the caller's code). */
function describe(error: unknown): string {
  return (error instanceof Error ? error.message : "not an Error").slice(0, 200);
}
