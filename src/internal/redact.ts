/** What replaces the API key wherever the SDK writes text that came from outside. */
export const REDACTED = "[redacted]";

/** Removes the API key from a text the SDK is about to write into an error or a log line. */
export type Redact = (text: string) => string;

/**
 * One character of the key as it may come back in an echo: itself in either case, or escaped the
 * ways a JSON body or a URL escapes it (`\u0073`, `%73`, in either case too; `\"`, `\\` and
 * `\/` for the characters JSON escapes so).
 */
function echoOf(char: string): string {
  const alternatives = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")];
  for (const form of new Set([char.toLowerCase(), char.toUpperCase()])) {
    const hex = form.charCodeAt(0).toString(16).padStart(4, "0");
    alternatives.push(`\\\\u${hex}`, `%${hex.slice(2)}`);
  }
  if (char === '"' || char === "\\" || char === "/") alternatives.push(`\\\\\\${char}`);
  return `(?:${alternatives.join("|")})`;
}

/**
 * The redaction for one key. It is applied where the SDK builds text from what a server sent
 * (messages, excerpts, gateway messages, error bodies), never to a reply before it is parsed: a
 * short key (`"x"` in a test) would otherwise corrupt ids and URLs in a successful answer.
 *
 * An echo is found in any letter case and with any of its characters escaped, so a body that
 * echoes the key as `\u0073k_live…` or upper-cased does not get it past the redaction.
 *
 * @example
 * ```ts
 * keyRedactor("sk_live_1")('{"key":"\\u0073K_LIVE_1"}'); // '{"key":"[redacted]"}'
 * ```
 */
export function keyRedactor(apiKey: string): Redact {
  const pattern = new RegExp([...apiKey].map(echoOf).join(""), "gi");
  return (text) => text.replace(pattern, REDACTED);
}

/** A parsed JSON value with the key removed from every string and property name in it. */
export function redactValue(value: unknown, redact: Redact): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [redact(name), redactValue(item, redact)]));
  }
  return value;
}
