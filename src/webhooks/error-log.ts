import { escapeControlCharacters } from "../internal/control-characters.js";
import { EXCERPT_LENGTH } from "../internal/excerpt.js";
import { describeThrown, warn } from "../internal/warn.js";

/** Lines the default `onError` writes per minute at most; a flood of forgeries must not flood logs. */
const LINES_PER_MINUTE = 10;

/**
 * Text from outside made safe for one log line: control characters (newlines, terminal escape
 * sequences) written as escapes, and cut to a few hundred characters.
 */
export function oneLine(text: string): string {
  const escaped = escapeControlCharacters(text);
  return escaped.length > EXCERPT_LENGTH ? `${escaped.slice(0, EXCERPT_LENGTH)}…` : escaped;
}

/**
 * The receiver's default `onError`: one process warning per error, one line each, at most ten
 * a minute (then one line saying how many were left out).
 */
export function warningWriter(): (error: unknown, about: string | undefined) => void {
  let windowStart = 0;
  let written = 0;
  let skipped = 0;
  return (error, about) => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      if (skipped > 0) warn(`pixazo-ltx webhook: ${skipped} more errors in the last minute were not written`);
      windowStart = now;
      written = 0;
      skipped = 0;
    }
    if (written >= LINES_PER_MINUTE) {
      skipped += 1;
      return;
    }
    written += 1;
    const message = describeThrown(error);
    const subject = about === undefined ? "" : ` for ${about}`;
    warn(oneLine(`pixazo-ltx webhook${subject}: ${message}`));
  };
}
