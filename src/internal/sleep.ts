import { onAbort } from "./signals.js";

/** Largest delay a timer can hold; a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason the moment it aborts. The timer is
 * cleared on abort, so an aborted wait leaves nothing scheduled behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return pause(ms, signal, () => {});
}

/**
 * Whether `promise` fulfils within `ms`: `false` when it rejects or is still pending then (it is
 * left to run). The timer is cleared as soon as the answer is known.
 */
export async function fulfilsWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sleeps `ms`, or less when woken through the function handed to `onWake`; rejects with the
 * signal's reason the moment it aborts. Leaves no timer or listener behind.
 */
export function pause(ms: number, signal: AbortSignal | undefined, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const done = () => {
      clearTimeout(timer);
      stop();
      resolve();
    };
    const stop = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(signal.reason);
        })
      : () => {};
    const timer = setTimeout(done, Math.max(0, ms));
    onWake(done);
  });
}
