/** A Node header value as one string: repeated headers joined with ", ", as HTTP allows. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Node's incoming headers as a plain record of strings (names already lower-cased by Node). */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const joined = headerValue(value);
    if (joined !== undefined) flat[name] = joined;
  }
  return flat;
}
