/**
 * Text from outside (a gateway's message, a webhook body) with every control character, C0 and
 * C1, written as a `\uXXXX` escape instead of acting on a terminal or a log: ESC starts ANSI
 * sequences that recolour, move the cursor or retitle the window, U+009B is a one-character
 * CSI, and a newline can forge a log line. `keepNewlines` leaves `\n` alone, for text whose line
 * breaks are the caller's own; otherwise a newline is written `\n`.
 */
export function escapeControlCharacters(text: string, options: { keepNewlines?: boolean } = {}): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) => {
    if (character === "\n") return options.keepNewlines ? "\n" : "\\n";
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
