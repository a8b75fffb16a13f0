/** A signal that aborts when any of its sources does, and a way to let go of the sources. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Stops listening to the sources; call it when the linked work is over. */
  dispose(): void;
}

/**
 * One listener per source signal, fanning out to every link made from it. A caller may share one
 * signal across thousands of jobs: it then carries one listener, not one per job (which would
 * also trip Node's listener-leak warning), and nothing once the jobs are done.
 */
const fanOuts = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `source` aborts, through the source's single shared listener.
 * @returns the function that cancels the call.
 */
export function onAbort(source: AbortSignal, callback: () => void): () => void {
  let callbacks = fanOuts.get(source);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    fanOuts.set(source, set);
    source.addEventListener(
      "abort",
      () => {
        fanOuts.delete(source);
        for (const callback of [...set]) callback();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  const registered = callbacks;
  return () => {
    registered.delete(callback);
    // The shared listener stays until the source aborts or is collected; it holds no job state.
  };
}

/**
 * Links abort signals: the result aborts, with the same reason, when any source does. Unlike
 * `AbortSignal.any`, a long-lived source gains no new listener per link.
 */
export function linkSignals(...sources: (AbortSignal | undefined)[]): LinkedSignal {
  const present = sources.filter((source): source is AbortSignal => source !== undefined);
  // One source is its own link: no controller, no listener (a wait holds one per job).
  if (present.length === 1) return { signal: present[0] as AbortSignal, dispose: () => {} };
  const controller = new AbortController();
  const alreadyAborted = present.find((source) => source.aborted);
  if (alreadyAborted) {
    controller.abort(alreadyAborted.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const stops = present.map((source) => onAbort(source, () => controller.abort(source.reason)));
  return {
    signal: controller.signal,
    dispose: () => {
      for (const stop of stops) stop();
    },
  };
}
