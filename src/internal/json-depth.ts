/**
 * Whether a JSON text nests arrays and objects more than `limit` levels deep. A linear scan of
 * the text (strings skipped), without parsing and without recursion, so a hostile body of a
 * million brackets costs one pass and cannot overflow the stack.
 *
 * @example
 * ```ts
 * nestsDeeperThan('{"a":[1]}', 1); // true
 * nestsDeeperThan('{"a":"[[["}', 1); // false
 * ```
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  // Text with few opening brackets cannot nest deep: counting them natively is several times
  // cheaper than the scan below, which only a reply with many brackets then needs.
  let brackets = 0;
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at !== -1 && brackets <= limit; at = text.indexOf(bracket, at + 1)) {
      brackets++;
    }
  }
  if (brackets <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return false;
}
