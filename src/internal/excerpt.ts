/** How much of an unexpected body an error keeps: enough to recognise an HTML page or a stack trace. */
export const EXCERPT_LENGTH = 300;

/** The start of a body, whitespace collapsed, for error messages and `excerpt` properties. */
export function excerptOf(text: string): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  return collapsed.length > EXCERPT_LENGTH ? `${collapsed.slice(0, EXCERPT_LENGTH)}…` : collapsed;
}
