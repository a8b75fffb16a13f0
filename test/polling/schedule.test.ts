import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_TIMER_MS } from "../../src/internal/sleep.js";
import { nextReadDelay, type ReadPosition } from "../../src/polling/schedule.js";

const pace = { pollIntervalMs: 2_000, maxPollIntervalMs: 8_000 };
const webhookPace = { pollIntervalMs: 50_000, maxPollIntervalMs: 60_000 };
const middle = () => 0.5;

/** The run times (ms since submit) at which a wait reads, for `count` reads, on no deadline. */
function readTimes(
  count: number,
  position: Omit<ReadPosition, "ranMs" | "reads" | "leftMs"> = {},
  intervals = pace,
  random = middle,
): number[] {
  const times: number[] = [];
  let ranMs = 0;
  for (let reads = 0; reads < count; reads++) {
    ranMs += nextReadDelay({ ...position, ranMs, reads, leftMs: Number.POSITIVE_INFINITY }, intervals, random);
    times.push(ranMs);
  }
  return times;
}

describe("the read schedule", () => {
  it("reads first after half an interval, then grows ×1.5 a read up to the cap", () => {
    expect(readTimes(9)).toEqual([1_000, 3_000, 5_000, 7_500, 11_250, 16_875, 24_875, 32_875, 40_875]);
  });

  it("makes no read in the quiet span, then reads at the interval the time since the submit calls for", () => {
    expect(readTimes(4, { quietMs: 20_000 })).toEqual([20_200, 28_200, 36_200, 44_200]);
    // A short quiet span leaves the ramp where it was.
    expect(readTimes(4, { quietMs: 2_500 })).toEqual([2_700, 4_700, 7_050, 10_575]);
  });

  it("reads soon on a wait that begins after the quiet span (a resumed wait)", () => {
    const delay = nextReadDelay({ ranMs: 90_000, reads: 0, quietMs: 20_000, leftMs: 60_000 }, pace, middle);
    expect(delay).toBe(1_000);
  });

  it("backing up a webhook, reads an interval after the quiet span, then every 50–60 s", () => {
    expect(readTimes(3, { quietMs: 20_000, fallback: true }, webhookPace)).toEqual([75_000, 125_000, 185_000]);
    // Nothing known: no read soon either; the callback reports an immediate failure too.
    expect(readTimes(2, { fallback: true }, webhookPace)).toEqual([50_000, 100_000]);
  });

  it("jitters each interval by at most 20 %, never past the cap, and the quiet span only later", () => {
    const at = (ranMs: number, random: number, quietMs?: number) =>
      nextReadDelay({ ranMs, reads: 3, quietMs, leftMs: Number.POSITIVE_INFINITY }, pace, () => random);
    expect([at(4_000, 0), at(4_000, 1)]).toEqual([1_600, 2_400]);
    expect([at(60_000, 0), at(60_000, 1)]).toEqual([6_400, 8_000]);
    expect([at(0, 0, 20_000), at(0, 1, 20_000)]).toEqual([20_000, 20_400]);
  });

  it("keeps the reference's 5–10 s guidance once the ramp is over", () => {
    for (let ranMs = 16_000; ranMs < 600_000; ranMs += 7_919) {
      for (const random of [0, 0.25, 0.5, 0.75, 1]) {
        const delay = nextReadDelay({ ranMs, reads: 9, leftMs: Number.POSITIVE_INFINITY }, pace, () => random);
        expect(delay).toBeGreaterThanOrEqual(5_000);
        expect(delay).toBeLessThanOrEqual(10_000);
      }
    }
  });

  it("never sleeps past the deadline", () => {
    expect(nextReadDelay({ ranMs: 0, reads: 0, quietMs: 60_000, leftMs: 4_000 }, pace, middle)).toBe(4_000);
    expect(nextReadDelay({ ranMs: 50_000, reads: 9, leftMs: 0 }, pace, middle)).toBe(0);
    expect(nextReadDelay({ ranMs: 50_000, reads: 9, leftMs: -5 }, pace, middle)).toBe(0);
  });
});

describe("every delay, whatever the inputs say", () => {
  const anyNumber = fc.oneof(
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e308, -1e308),
  );
  const intervals = fc
    .tuple(fc.integer({ min: 1, max: MAX_TIMER_MS }), fc.integer({ min: 1, max: MAX_TIMER_MS }))
    .map(([a, b]) => ({ pollIntervalMs: Math.min(a, b), maxPollIntervalMs: Math.max(a, b) }));

  it("is a finite whole number of ms, ≥ 0, no longer than the time left or a timer can hold", () => {
    fc.assert(
      fc.property(
        anyNumber,
        fc.nat(),
        fc.option(anyNumber),
        fc.boolean(),
        anyNumber,
        intervals,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (ranMs, reads, quietMs, fallback, leftMs, pace, random) => {
          const delay = nextReadDelay(
            { ranMs, reads, quietMs: quietMs ?? undefined, fallback, leftMs },
            pace,
            () => random,
          );
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(MAX_TIMER_MS);
          if (!Number.isNaN(leftMs)) expect(delay).toBeLessThanOrEqual(Math.max(0, leftMs));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
