import { describe, expect, it } from "vitest";
import { checkItems } from "../../src/batch/items.js";
import { type BatchRecord, checkManifest, replay } from "../../src/batch/manifest.js";
import { ValidationError } from "../../src/errors/errors.js";

const text = (prompt: string, more: Record<string, unknown> = {}) => ({
  model: "ltx-2-3-text-to-video",
  input: { prompt, ...more },
});

function issuesOf(items: unknown[]) {
  try {
    checkItems(items);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  }
  throw new Error("checkItems accepted the items");
}

describe("checkItems", () => {
  it("names every bad item and field at once: model, input, name, unknown keys, shape", () => {
    const issues = issuesOf([
      text("fine"),
      { model: "ltx-9", input: { prompt: "x" } },
      text("x", { duration: 7 }),
      { ...text("x"), name: "../escape" },
      { ...text("x"), colour: "red" },
      "not an object",
    ]);
    expect(issues.map((issue) => issue.path)).toEqual([
      "items.1.model",
      "items.2.input.duration",
      "items.3.name",
      "items.4.colour",
      "items.5",
    ]);
    expect(issues[0]?.message).toMatch(/unknown model id/);
  });

  it("refuses two items whose files would have the same name, ignoring case, and a name that is a default stem", () => {
    const issues = issuesOf([
      { ...text("a"), name: "Clip" },
      { ...text("b"), name: "clip" },
      text("c"),
      { ...text("d"), name: "line-3" },
    ]);
    expect(issues).toEqual([
      { path: "items.1.name", message: expect.stringMatching(/is the name of line 1 too/) },
      { path: "items.3.name", message: expect.stringMatching(/is the name of line 3 too/) },
    ]);
  });

  it("lists at most 50 issues and counts the rest", () => {
    const issues = issuesOf(Array.from({ length: 80 }, () => ({ model: "nope", input: {} })));
    expect(issues).toHaveLength(51);
    expect(issues[50]?.message).toBe("and 30 more issues");
  });

  it("gives each item its line, stem and the input as checked; the fingerprint ignores key order only", () => {
    const [first, second] = checkItems([
      { ...text("a", { duration: 8 }), name: "first" },
      { model: "ltx-2-3-text-to-video", input: { duration: 8, prompt: "a" } },
    ]);
    expect(first).toMatchObject({ line: 1, stem: "first", name: "first", input: { prompt: "a", duration: 8 } });
    expect(second).toMatchObject({ line: 2, stem: "line-2", name: undefined });
    const [reordered] = checkItems([
      { name: "first", input: { duration: 8, prompt: "a" }, model: "ltx-2-3-text-to-video" },
    ]);
    expect(reordered?.fingerprint).toBe(first?.fingerprint);
    const [changed] = checkItems([{ ...text("b", { duration: 8 }), name: "first" }]);
    expect(changed?.fingerprint).not.toBe(first?.fingerprint);
  });
});

describe("the manifest's records", () => {
  const at = "2026-01-01T00:00:00.000Z";
  const items = checkItems([text("a"), text("b"), text("c")]);
  const fingerprint = (line: number) => items[line - 1]?.fingerprint ?? "";

  it("replay: the last record wins; a new submit forgets the job before it", () => {
    const records: BatchRecord[] = [
      { line: 1, state: "submitting", model: "m", fingerprint: "f1", at },
      { line: 1, state: "submitted", request_id: "job-1", at },
      { line: 1, state: "completed", request_id: "job-1", at },
      { line: 2, state: "submitting", model: "m", fingerprint: "f2", at },
      { line: 2, state: "uncertain", error: "reset", at },
      { line: 2, state: "submitting", model: "m", fingerprint: "f2", at },
    ];
    const lines = replay(records);
    expect(lines.get(1)).toEqual({ last: "completed", requestId: "job-1", fingerprint: "f1", files: [] });
    expect(lines.get(2)).toEqual({ last: "submitting", requestId: undefined, fingerprint: "f2", files: [] });
    expect(lines.has(3)).toBe(false);
  });

  it("checkManifest refuses a line with a job whose item changed, or is gone; a never-sent line may change", () => {
    const records: BatchRecord[] = [
      { line: 1, state: "submitting", model: "m", fingerprint: "changed", at },
      { line: 1, state: "submitted", request_id: "job-1", at },
      { line: 2, state: "submitting", model: "m", fingerprint: "changed", at },
      { line: 2, state: "not-sent", error: "400", at },
      { line: 3, state: "submitting", model: "m", fingerprint: fingerprint(3), at },
      { line: 9, state: "submitting", model: "m", fingerprint: "x", at },
    ];
    let error: unknown;
    try {
      checkManifest(replay(records), items);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path.join("."))).toEqual(["items.0", "items.8"]);
  });
});
