import { ValidationError, type ValidationIssue } from "../errors/errors.js";
import { fnv1a64 } from "../internal/fnv1a.js";
import { getModel, type InputOf, type ModelId } from "../models/registry.js";
import { validateInput } from "../models/validate.js";

/**
 * One job of a batch: a model, its input, and optionally the stem of its saved files.
 *
 * @example
 * ```ts
 * const item: BatchItem = { model: "ltx-2-3-text-to-video", input: { prompt: "Waves at dusk" }, name: "waves" };
 * ```
 */
export type BatchItem = {
  [Id in ModelId]: {
    /** The model id, e.g. `"ltx-2-3-text-to-video"`. */
    readonly model: Id;
    /** The model's fields, checked as `submit` checks them. */
    readonly input: InputOf<Id>;
    /**
     * The stem of the item's saved files (`<name>.mp4`; `<name>-2.mp4` for a second file): 1 to
     * 100 letters, digits, `.`, `_` or `-`, not starting with `.`, unique in the batch (ignoring case).
     * @default `line-<n>`, n being the item's position counting from 1
     */
    readonly name?: string | undefined;
  };
}[ModelId];

/** An item after its checks: the exact body its submit sends. */
export interface CheckedItem {
  /** Position in the batch, counting from 1 (the CLI's line number). */
  readonly line: number;
  readonly modelId: ModelId;
  readonly name: string | undefined;
  /** Stem of its file names: `name`, else `line-<n>`. */
  readonly stem: string;
  /** The input as checked, sent as it is. */
  readonly input: Readonly<Record<string, unknown>>;
  /** Tells whether the manifest's record of this line was made for this same job. */
  readonly fingerprint: string;
}

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/** At most this many issues are listed; a file of a million bad lines gets a bounded message. */
const MAX_ISSUES = 50;

/**
 * Checks every item before anything is sent: its model, its input, its name, and that no two
 * share a file stem. Issues are reported at `["items", index, ...]` (index from 0).
 *
 * @throws {ValidationError} listing the issues of every bad item (the first 50).
 */
export function checkItems(items: readonly unknown[]): CheckedItem[] {
  const issues: ValidationIssue[] = [];
  const checked: CheckedItem[] = [];
  const stems = new Map<string, number>();
  items.forEach((item, index) => {
    const at = (path: readonly (string | number)[], issue: Omit<ValidationIssue, "path">) =>
      issues.push({ ...issue, path: ["items", index, ...path] });
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      at([], { message: "must be an object with model, input and optionally name", received: item });
      return;
    }
    const { model, input, name, ...others } = item as Record<string, unknown>;
    for (const key of Object.keys(others)) {
      at([key], { message: "is not a field of a batch item", allowed: "model, input, name" });
    }
    if (name !== undefined && (typeof name !== "string" || !NAME.test(name))) {
      at(["name"], {
        message: "is not a usable file name stem",
        received: name,
        allowed: '1 to 100 letters, digits, ".", "_" or "-", not starting with "."',
      });
    }
    const line = index + 1;
    const stem = typeof name === "string" ? name : `line-${line}`;
    const clash = stems.get(stem.toLowerCase());
    if (clash !== undefined) {
      at(["name"], {
        message: `is the name of line ${clash + 1} too (names are compared ignoring case)`,
        received: stem,
        allowed: "a name no other item of the batch has",
      });
    }
    stems.set(stem.toLowerCase(), index);
    let body: Record<string, unknown>;
    try {
      body = validateInput(getModel(model as string), input);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // getModel names the model `modelId`; the input's own issues are named from its fields. A
      // batch item has no extraFields option: the hint to use one is left out.
      for (const issue of error.issues) {
        const [first, ...rest] = issue.path;
        const allowed = issue.allowed?.replace(/ \(send other fields[^)]*extraFields option\)$/, "");
        at(first === "modelId" ? ["model", ...rest] : first === "input" ? issue.path : ["input", ...issue.path], {
          ...issue,
          ...(allowed === undefined ? {} : { allowed }),
        });
      }
      return;
    }
    checked.push({
      line,
      modelId: model as ModelId,
      name: typeof name === "string" ? name : undefined,
      stem,
      input: body,
      fingerprint: fnv1a64(`${model as string}\n${stem}\n${canonicalJson(body)}`),
    });
  });
  if (issues.length > 0) {
    throw new ValidationError(
      issues.length > MAX_ISSUES
        ? [
            ...issues.slice(0, MAX_ISSUES),
            { path: ["items"], message: `and ${issues.length - MAX_ISSUES} more issues` },
          ]
        : issues,
    );
  }
  return checked;
}

/** JSON with object keys sorted, so reordering an input's fields keeps its fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
