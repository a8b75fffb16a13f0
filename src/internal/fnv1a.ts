/**
 * A 64-bit FNV-1a hash of a text, as 16 hex digits (two 32-bit FNV-1a passes from different
 * seeds). Not a cryptographic hash, and its callers need none: it keys deduplication and keeps
 * shortened file names distinct. Plain arithmetic, so code using it needs no `node:crypto` and
 * runs on Fetch-only runtimes.
 */
export function fnv1a64(text: string): string {
  return fnv1a32(text, 0) + fnv1a32(text, 0x9e3779b9);
}

function fnv1a32(text: string, seed: number): string {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
