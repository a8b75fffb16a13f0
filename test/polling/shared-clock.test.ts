import { describe, expect, it } from "vitest";
import { SharedClock } from "../../src/polling/shared-clock.js";
import { stepWallClock } from "../support/clock.js";
import { rejectionOf } from "../support/gateway.js";
import { activeTimers } from "../support/handles.js";

describe("the shared clock of a client's waits", () => {
  it("serves many sleeps with one timer, in due order", async () => {
    const clock = new SharedClock();
    const order: number[] = [];
    const timersBefore = activeTimers();

    const sleeps = [50, 10, 30, 20, 40].map((ms) => clock.sleep(ms, undefined).then(() => void order.push(ms)));
    const timersDuring = activeTimers();
    await Promise.all(sleeps);

    expect(timersDuring - timersBefore).toBe(1);
    expect(order).toEqual([10, 20, 30, 40, 50]);
    expect(clock.size).toBe(0);
  });

  it("drops the settled entries of finished waits instead of keeping them until due", async () => {
    const clock = new SharedClock();
    // A live sleeper due first keeps the finished ones below it from leaving by the top.
    const live = new AbortController();
    const first = clock.sleep(30_000, live.signal).catch(() => {});
    const controllers = Array.from({ length: 500 }, () => new AbortController());
    const sleeps = controllers.map((controller, index) =>
      clock.sleep(60_000 + index, controller.signal).catch(() => {}),
    );

    for (const controller of controllers) controller.abort();
    await Promise.all(sleeps);

    expect(clock.size).toBe(1);
    expect(clock.entries).toBeLessThan(100);
    live.abort();
    await first;
    expect(clock.entries).toBe(0);
  });

  it("wakes one sleeper early and aborts another, leaving no timer behind", async () => {
    const clock = new SharedClock();
    let wake: () => void = () => {};
    const controller = new AbortController();
    const timersBefore = activeTimers();

    const woken = clock.sleep(60_000, undefined, (handle) => (wake = handle));
    const aborted = rejectionOf(clock.sleep(60_000, controller.signal));
    wake();
    controller.abort("bye");
    await woken;

    expect(await aborted).toBe("bye");
    expect(clock.size).toBe(0);
    expect(activeTimers()).toBe(timersBefore);
  });

  it("wakes a sleeper on time when the wall clock steps back meanwhile", async () => {
    const clock = new SharedClock();
    const woken = clock.sleep(50, undefined);
    stepWallClock(-20_000);

    await woken;

    expect(clock.size).toBe(0);
  });
});
