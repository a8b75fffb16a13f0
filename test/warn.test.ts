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
