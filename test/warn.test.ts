import { afterEach, describe, expect, it, vi } from "vitest";
import { warn } from "../src/internal/warn.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a warning", () => {
  it("never throws: where process.emitWarning throws (Next.js's edge sandbox), it goes to console.warn", () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {
      throw new Error("A Node.js API is used (process.emitWarning) which is not supported in the Edge Runtime.");
    });
    const consoleWarn = vi.spyOn(console, "warn").mockImplementation(() => {});

    expect(() => warn("pixazo-ltx: something to say")).not.toThrow();
    expect(consoleWarn).toHaveBeenCalledWith("PixazoWarning: pixazo-ltx: something to say");
  });

  it("never throws even where console.warn throws too", () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {
      throw new Error("no");
    });
    vi.spyOn(console, "warn").mockImplementation(() => {
      throw new Error("no either");
    });

    expect(() => warn("pixazo-ltx: something to say")).not.toThrow();
  });
});

describe("a broken callback's report", () => {
  it("never throws and never prints what was thrown when it is not an Error", async () => {
    const { callIsolated } = await import("../src/internal/isolated.js");
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => {});

    expect(() =>
      callIsolated("A test callback with a null-prototype throw", () => {
        throw Object.create(null);
      }),
    ).not.toThrow();
    callIsolated("A test callback with a secret string throw", () => {
      throw "sk-live-secret";
    });

    const lines = emitted.mock.calls.map(([line]) => String(line));
    expect(lines).toEqual([
      "A test callback with a null-prototype throw threw; ignored, as it always will be: a thrown object that is not an Error",
      "A test callback with a secret string throw threw; ignored, as it always will be: a thrown string that is not an Error",
    ]);
  });
});
