import * as z from "zod/mini";
import { ValidationError, type ValidationIssue } from "../errors/errors.js";
import { nestsDeeperThan } from "../internal/json-depth.js";
import type { ModelDefinition } from "./define.js";

/** Extra body fields sent on purpose, unchecked, beside a model's known fields. */
export type ExtraFields = Readonly<Record<string, unknown>>;

/**
 * Known fields of a model sent with values its schema would refuse, on purpose: for a closed list
 * of the reference that the gateway has outgrown (say `resolution: "1440p"` where the reference
 * lists 720p, 1080p and 2160p). Keyed by the model's field names; the values go into the body as
 * given, as JSON.
 */
export type UncheckedFields<Keys extends PropertyKey = string> = { readonly [Key in Keys]?: unknown };

type ZodIssue = z.core.$ZodIssue;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  // Any realm's Object.prototype (its own prototype is null): an object literal made in a vm
  // context, an iframe or a test environment is as plain as one made here.
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
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
  const unit = (one: string) => (limit === "1" ? one : `${one}s`);
  if (issue.origin === "string") return `${side === "min" ? "at least" : "at most"} ${limit} ${unit("character")}`;
  if (issue.origin === "array") return `${side === "min" ? "at least" : "at most"} ${limit} ${unit("item")}`;
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
 * Keys refused anywhere in `extraFields`: a server that merges the body into an object with them
 * could have its prototype changed, and `toJSON` would replace the whole body when serialised.
 */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype", "toJSON"]);

/** Deepest nesting accepted in `extraFields`; deeper values are refused rather than walked. */
const MAX_EXTRA_FIELDS_DEPTH = 32;

/** Where a forbidden key sits in JSON data, if anywhere. */
function forbiddenKeyPath(value: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return here;
    const deeper = forbiddenKeyPath(item, here);
    if (deeper) return deeper;
  }
  return undefined;
}

/**
 * Checks a caller's input against the model's schema and returns the body to send: the fields as
 * the schema read them (nothing added, so the gateway applies its own defaults), then any
 * `uncheckedFields` (known fields whose values skip the schema, on purpose), then any
 * `extraFields` (fields the model does not know).
 *
 * The body is a new plain object built from the values that were checked: each getter of the
 * input is read once, a `toJSON` or prototype of the input is not carried over, and a later
 * change to the caller's object does not reach it.
 *
 * @throws {ValidationError} listing every bad field, before anything is sent.
 */
export function validateInput(
  model: ModelDefinition,
  input: unknown,
  extraFields?: ExtraFields,
  uncheckedFields?: UncheckedFields,
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
  const unchecked =
    uncheckedFields === undefined ? undefined : checkUncheckedFields(model, input, uncheckedFields, issues);
  // The fields sent unchecked leave the schema for this call: required or not, they are given.
  // (One also set in the input stays in it, and is refused above for being set twice.)
  const lifted = (key: string) =>
    unchecked !== undefined && Object.hasOwn(unchecked, key) && !Object.hasOwn(input, key);
  const schema = unchecked
    ? z.strictObject(Object.fromEntries(Object.entries(model.input.shape).filter(([key]) => !lifted(key))))
    : model.input;
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(...toIssues(issue, input, model));
  }
  const extras = extraFields === undefined ? undefined : checkExtraFields(model, extraFields, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  // A new plain object of the values that were checked (zod's result), in the caller's order.
  const checked = result.data as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(input)) if (Object.hasOwn(checked, key)) body[key] = checked[key];
  return { ...body, ...unchecked, ...extras };
}

/**
 * Checks `uncheckedFields`: each a known field of the model, not also set in the input, with a
 * JSON value. Returns a snapshot of them as JSON data.
 */
function checkUncheckedFields(
  model: ModelDefinition,
  input: Record<string, unknown>,
  uncheckedFields: unknown,
  issues: ValidationIssue[],
): Record<string, unknown> | undefined {
  const fields = jsonSnapshot("uncheckedFields", uncheckedFields, issues);
  if (!fields) return undefined;
  const known = Object.keys(model.input.shape);
  for (const key of Object.keys(fields)) {
    if (!Object.hasOwn(model.input.shape, key)) {
      issues.push({
        path: ["uncheckedFields", key],
        message: `is not a field of ${model.id}: uncheckedFields only loosens the check of known fields`,
        received: fields[key],
        allowed: `${known.join(", ")} (send other fields with the extraFields option)`,
      });
    } else if (Object.hasOwn(input, key)) {
      issues.push({
        path: ["uncheckedFields", key],
        message: "is also set in the input: set it in one place",
        received: fields[key],
      });
    }
  }
  return fields;
}

/**
 * A caller's object of body fields (`extraFields` or `uncheckedFields`) as JSON data: serialised
 * once here (each getter and `toJSON` run once), so what is checked for forbidden keys is what
 * will be sent. `undefined`, with the reason in `issues`, when it cannot be sent.
 */
function jsonSnapshot(
  option: "extraFields" | "uncheckedFields",
  value: unknown,
  issues: ValidationIssue[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    issues.push({ path: [option], message: "must be an object", received: value, allowed: "a plain object" });
    return undefined;
  }
  if (Object.hasOwn(value, "toJSON")) {
    issues.push({
      path: [option, "toJSON"],
      message: "would replace the whole body when serialised",
      allowed: "plain fields only",
    });
    return undefined;
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    issues.push({
      path: [option],
      message: `cannot be sent as JSON (${error instanceof Error ? error.message : String(error)})`,
      allowed: "JSON values only: strings, numbers, booleans, null, arrays and objects",
    });
    return undefined;
  }
  if (nestsDeeperThan(text, MAX_EXTRA_FIELDS_DEPTH)) {
    issues.push({
      path: [option],
      message: `nests deeper than ${MAX_EXTRA_FIELDS_DEPTH} levels`,
      allowed: `objects and arrays at most ${MAX_EXTRA_FIELDS_DEPTH} levels deep`,
    });
    return undefined;
  }
  const snapshot: unknown = JSON.parse(text);
  // A plain object without its own toJSON serialises to an object; checked all the same.
  if (!isPlainObject(snapshot)) return undefined;
  const forbidden = forbiddenKeyPath(snapshot, [option]);
  if (forbidden) {
    issues.push({
      path: forbidden,
      message: "is a key a JSON body must not carry (it can change an object's prototype or serialisation)",
      allowed: `any key except ${[...FORBIDDEN_KEYS].join(", ")}`,
    });
  }
  return snapshot;
}

/** Checks `extraFields` (none may be a known field) and returns a snapshot of them as JSON data. */
function checkExtraFields(
  model: ModelDefinition,
  extraFields: unknown,
  issues: ValidationIssue[],
): Record<string, unknown> | undefined {
  const extras = jsonSnapshot("extraFields", extraFields, issues);
  if (!extras) return undefined;
  for (const key of Object.keys(extras)) {
    if (Object.hasOwn(model.input.shape, key)) {
      issues.push({
        path: ["extraFields", key],
        message: `is a known field of ${model.id}: set it in the input, where it is checked (or in uncheckedFields to send a value the check refuses)`,
        received: extras[key],
      });
    }
  }
  return extras;
}
