import { escapeControlCharacters } from "../internal/control-characters.js";

/**
 * JSON, its C1 controls and DEL escaped too (`JSON.stringify` leaves them): still valid JSON.
 * Indented, or on one line with `oneLine` (JSON Lines).
 */
export function printableJson(value: unknown, oneLine = false): string {
  return escapeControlCharacters(JSON.stringify(value, null, oneLine ? undefined : 2), { keepNewlines: !oneLine });
}
