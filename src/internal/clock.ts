/**
 * Milliseconds on a clock that only moves forward, for every duration and deadline the client
 * keeps. The wall clock (`Date.now()`) can step back or forward when the machine syncs its time;
 * measured against timers, which run on the monotonic clock, a step back would keep a pause or a
 * sleep going for as long as the step, and a step forward would end it early.
 */
export function monotonicNow(): number {
  return performance.now();
}
