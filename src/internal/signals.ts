/** A signal that aborts when any of its sources does, and a way to let go of the sources. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Removes the listeners from the sources; call it when the linked work is over. */
  dispose(): void;
}

/**
 * Links abort signals by hand rather than with `AbortSignal.any`, so that a long-lived source (a
 * caller's signal shared by many jobs) does not accumulate one dependent signal per request.
 */
export function linkSignals(...sources: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const present = sources.filter((source): source is AbortSignal => source !== undefined);
  const alreadyAborted = present.find((source) => source.aborted);
  if (alreadyAborted) {
    controller.abort(alreadyAborted.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const listeners = present.map((source) => {
    const listener = (): void => controller.abort(source.reason);
    source.addEventListener("abort", listener, { once: true });
    return () => source.removeEventListener("abort", listener);
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const remove of listeners) remove();
    },
  };
}
