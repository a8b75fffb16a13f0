import * as z from "zod/mini";
import { ValidationError, type ValidationIssue } from "../errors/errors.js";
import { MAX_TIMER_MS } from "../internal/sleep.js";

/*
 * The one way an option is checked, wherever it is taken (the client, a wait, a download, the
 * batch, a webhook receiver, the Redis companion): one schema per option, declared once with its
 * message and the words a ValidationError shows under "allowed". Checks run before any request.
 */

/** One option's check: `test` holds for every value it accepts; an option left out passes. */
export function option(test: (value: unknown) => boolean, message: string, allowed?: string, echo = true) {
  return z.optional(z.unknown().check(z.refine(test, { message, params: { allowed, echo } })));
}

/** A number from `min` to `max`; an integer only with `integer`; `Infinity` too with `infinity`. */
export function numberFrom(
  min: number,
  max: number,
  allowed: string,
  kind: { integer?: boolean; infinity?: boolean } = {},
) {
  return option(
    (value) =>
      typeof value === "number" &&
      (Number.isFinite(value)
        ? value >= min && value <= max && (!kind.integer || Number.isInteger(value))
        : kind.infinity === true && value === Number.POSITIVE_INFINITY),
    "out of range or not a number",
    allowed,
  );
}

/** A delay or time limit a timer can hold. */
export const milliseconds = numberFrom(1, MAX_TIMER_MS, `a number of milliseconds from 1 to ${MAX_TIMER_MS}`);
/** `true` or `false`. */
export const boolean = option((value) => typeof value === "boolean", "must be a boolean", "true or false");
/** A callback. */
export const callback = option((value) => typeof value === "function", "not a function", "a function");
/** A non-empty string: a path, a name. */
export const text = (allowed: string) =>
  option((value) => typeof value === "string" && value !== "", "is empty or not a string", allowed);

/** Whether `value` is an object with a method of each of `names`. */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === "function")
  );
}

/**
 * The issues `schema` finds in `options`, each naming its option (under `path`), the value
 * (unless the option's check keeps it back) and what is allowed.
 */
export function optionIssues(schema: z.ZodMiniType, options: object, path: readonly string[] = []): ValidationIssue[] {
  const result = schema.safeParse(options);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "options");
    const { allowed, echo } = ((issue as { params?: unknown }).params ?? {}) as { allowed?: string; echo?: boolean };
    return {
      path: [...path, name],
      message: issue.message,
      ...(echo === false ? {} : { received: (options as Record<string, unknown>)[name] }),
      ...(allowed === undefined ? {} : { allowed }),
    };
  });
}

/**
 * Checks `options` against `schema`.
 *
 * @throws {ValidationError} naming every option that fails.
 */
export function checkOptions(schema: z.ZodMiniType, options: object, path: readonly string[] = []): void {
  const issues = optionIssues(schema, options, path);
  if (issues.length > 0) throw new ValidationError(issues);
}
