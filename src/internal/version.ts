// Generated from package.json by scripts/sync-version.mjs: do not edit.
/** The SDK's version, sent in the `User-Agent` header. */
export const VERSION = "0.1.0";
