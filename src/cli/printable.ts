import { escapeControlCharacters } from "../internal/control-characters.js";

/** JSON, its C1 controls and DEL escaped too (`JSON.stringify` leaves them): still valid JSON. */
export function printableJson(value: unknown): string {
  return escapeControlCharacters(JSON.stringify(value, null, 2), { keepNewlines: true });
}
