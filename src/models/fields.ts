import * as z from "zod/mini";

/*
 * Building blocks for model input schemas. Each carries, in its refinements, the words a
 * ValidationError shows under "allowed", so every model's messages read the same.
 */

/** A prompt: any text with at least one non-space character (sent exactly as given). */
export function promptText() {
  return z.string().check(
    z.refine((value) => value.trim().length > 0, {
      message: "must not be empty",
      params: { allowed: "text with at least one non-space character" },
    }),
    z.meta({ description: "non-empty text" }),
  );
}

/** Whether `value` is an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** A URL the gateway fetches or calls: absolute http(s), with a host. */
export function httpUrl() {
  return z.string().check(
    z.refine(isHttpUrl, {
      message: "must be an absolute http(s) URL",
      params: { allowed: 'an absolute http(s) URL, e.g. "https://example.com/image.png"' },
    }),
    z.meta({ format: "uri", description: "absolute http(s) URL" }),
  );
}

/** One of the documented values, or any other string. */
export type OpenValue<Values extends readonly string[]> = Values[number] | (string & {});

/**
 * A string field whose reference lists typical values without closing the list: the listed ones
 * autocomplete, any other non-empty string is accepted, so an SDK older than the gateway never
 * blocks a value the gateway takes.
 */
export function openString<const Values extends readonly string[]>(documented: Values) {
  return z.string().check(z.minLength(1), z.meta({ examples: [...documented] })) as unknown as z.ZodMiniType<
    OpenValue<Values>,
    OpenValue<Values>
  >;
}
