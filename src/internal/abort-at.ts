import { monotonicNow } from "./clock.js";
import { MAX_TIMER_MS } from "./sleep.js";

/**
 * Aborts `controller` (with `reason`) at `at` (`monotonicNow()` ms; `Infinity` for never),
 * re-arming past the longest delay a timer can hold. Returns the function that disarms it.
 */
export function abortAt(controller: AbortController, at: number, reason?: unknown): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    // Timers count whole milliseconds (and may fire up to one early): within one, it is time.
    const left = at - monotonicNow();
    if (left < 1) controller.abort(reason);
    else timer = setTimeout(arm, Math.min(Math.floor(left), MAX_TIMER_MS));
  };
  if (Number.isFinite(at)) arm();
  return () => clearTimeout(timer);
}
