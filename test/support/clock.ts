import { afterEach } from "vitest";

const realDateNow = Date.now;

afterEach(() => {
  Date.now = realDateNow;
});

/**
 * Makes `Date.now()` run `ms` off from now on, as when the machine resyncs its clock; undone
 * after the test. Tests step it by more than their timeout, so code that waits on the wall clock
 * fails instead of passing late. (A plain replacement, not a spy: a spy would record every call
 * of a busy loop until memory runs out.)
 */
export function stepWallClock(ms: number): void {
  Date.now = () => realDateNow() + ms;
}
