import { expect } from "vitest";

/** Handles a run can leave behind: sockets, servers and timers, counted by kind. */
export function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === "TCPSocketWrap" || kind === "TCPServerWrap" || kind === "Timeout")
      counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Fails if any kind of handle is more numerous than `before` (the runner's own may have ended). */
export function expectNoNewHandles(before: Record<string, number>): void {
  for (const [kind, count] of Object.entries(openHandles())) {
    expect({ kind, count }).toEqual({ kind, count: Math.min(count, before[kind] ?? 0) });
  }
}

/** Timers keeping the process alive now (unref'd ones do not count). */
export function activeTimers(): number {
  return openHandles().Timeout ?? 0;
}
