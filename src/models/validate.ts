import type { z } from "zod";
import { ValidationError, type ValidationIssue } from "../errors/errors.js";
import type { ModelDefinition } from "./define.js";

/** Extra body fields sent on purpose, unchecked, beside a model's known fields. */
export type ExtraFields = Readonly<Record<string, unknown>>;

type ZodIssue = z.core.$ZodIssue;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** The known field a mistyped one most likely meant: same letters ignoring case and `_`, or a near spelling. */
export function closestField(unknown: string, known: readonly string[]): string | undefined {
  const squash = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, "");
  const exact = known.find((name) => squash(name) === squash(unknown));
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(unknown.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(squash(unknown), squash(name));
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

const TYPE_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "an array",
  object: "an object",
};

function bound(
  issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string },
  side: "min" | "max",
): string {
  const limit = String(side === "min" ? issue.minimum : issue.maximum);
  if (issue.origin === "string") return side === "min" ? `at least ${limit} characters` : `at most ${limit} characters`;
  if (issue.origin === "array") return side === "min" ? `at least ${limit} items` : `at most ${limit} items`;
  const symbol = side === "min" ? (issue.inclusive === false ? ">" : "≥") : issue.inclusive === false ? "<" : "≤";
  return `a number ${symbol} ${limit}`;
}

/** What one zod issue says is wrong, and what would be allowed instead. */
function explain(issue: ZodIssue): { message: string; allowed?: string } {
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return { message: `must be ${expected}`, allowed: expected };
    }
    case "invalid_value":
      return {
        message: "is not one of the allowed values",
        allowed: issue.values.map((value) => JSON.stringify(value)).join(", "),
      };
    case "too_small":
      return { message: "is too small", allowed: bound(issue, "min") };
    case "too_big":
      return { message: "is too big", allowed: bound(issue, "max") };
    case "custom": {
      const allowed = (issue.params as { allowed?: string } | undefined)?.allowed;
      return allowed ? { message: issue.message, allowed } : { message: issue.message };
    }
    default:
      return { message: issue.message };
  }
}

/** Turns one zod issue into the SDK's issues (one per unknown key), with received and allowed filled in. */
function toIssues(issue: ZodIssue, input: unknown, model: ModelDefinition): ValidationIssue[] {
  const path = issue.path.map((key) => (typeof key === "symbol" ? String(key) : key));
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(model.input.shape);
    return issue.keys.map((key) => {
      const suggestion = closestField(key, known);
      return {
        path: [...path, key],
        message: `unknown field of ${model.id}${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
        received: valueAt(input, [...issue.path, key]).value,
        allowed: `${known.join(", ")} (send other fields on purpose with the extraFields option)`,
      };
    });
  }
  const at = valueAt(input, issue.path);
  const { message, allowed } = explain(issue);
  if (!at.found) return [{ path, message: "is required", ...(allowed ? { allowed } : {}) }];
  return [{ path, message, received: at.value, ...(allowed ? { allowed } : {}) }];
}

/**
 * Checks a caller's input against the model's schema and returns the body to send: the input as
 * given (nothing added, so the gateway applies its own defaults), plus any `extraFields`.
 *
 * @throws {ValidationError} listing every bad field, before anything is sent.
 */
export function validateInput(
  model: ModelDefinition,
  input: unknown,
  extraFields?: ExtraFields,
): Record<string, unknown> {
  if (!isPlainObject(input)) {
    throw new ValidationError([
      {
        path: ["input"],
        message: `must be an object of ${model.id} fields`,
        received: input,
        allowed: "a plain object",
      },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const result = model.input.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(...toIssues(issue, input, model));
  }
  if (extraFields !== undefined) {
    if (!isPlainObject(extraFields)) {
      issues.push({
        path: ["extraFields"],
        message: "must be an object",
        received: extraFields,
        allowed: "a plain object",
      });
    } else {
      for (const key of Object.keys(extraFields)) {
        if (Object.hasOwn(model.input.shape, key)) {
          issues.push({
            path: ["extraFields", key],
            message: `is a known field of ${model.id}: set it in the input, where it is checked`,
            received: extraFields[key],
          });
        }
      }
    }
  }
  const body = extraFields === undefined ? input : { ...input, ...extraFields };
  // Schema-checked fields are JSON by construction; only unchecked extra fields need the test.
  if (issues.length === 0 && extraFields !== undefined) {
    try {
      JSON.stringify(body);
    } catch (error) {
      issues.push({
        path: ["input"],
        message: `cannot be sent as JSON (${error instanceof Error ? error.message : String(error)})`,
        allowed: "JSON values only: strings, numbers, booleans, null, arrays and objects",
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return body;
}
