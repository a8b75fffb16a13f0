/**
 * What a media response means for the file being assembled: the whole file, the part asked for,
 * or something that must not be written after the bytes already on disk. A resumed download is
 * spliced from several responses, so each part is believed only when it provably belongs to the
 * same file at the same place (RFC 9110 §14 and §13.1.5).
 */

/** A validator able to tell two versions of a file apart byte for byte. */
export interface StrongValidator {
  /** The response header it comes from, and the one a `206` must repeat unchanged. */
  readonly header: "etag" | "last-modified";
  readonly value: string;
}

/** What the last full response said about the file, to recognise it again on a resume. */
export interface FileIdentity {
  /** Its length, when the host announced one that applies to the bytes written. */
  readonly totalBytes: number | undefined;
  /** Sent in `If-Range` and required, unchanged, on every `206`. */
  readonly validator: StrongValidator | undefined;
  /** A resume may be asked for: the host offers byte ranges and the file has a strong validator. */
  readonly resumable: boolean;
}

/** The parts of a response a verdict reads. */
export interface ResponseHead {
  readonly status: number;
  header(name: string): string | undefined;
  /** The body is decoded from a `Content-Encoding`, so lengths and ranges do not apply to it. */
  readonly decoded: boolean;
}

/** How to treat a response. */
export type Verdict =
  /** The whole file from its first byte: written from zero, its identity remembered. */
  | { readonly kind: "whole"; readonly identity: FileIdentity }
  /** The continuation asked for, ending before byte `end` (exclusive), of a file of `totalBytes`. */
  | { readonly kind: "part"; readonly end: number; readonly totalBytes: number | undefined }
  /** Nothing to write after what is on disk: start over from zero. */
  | { readonly kind: "unusable"; readonly reason: string }
  /** An error status from the host. */
  | { readonly kind: "refused"; readonly status: number };

/** A `Content-Length` or a byte position: digits only, within the safe integers. */
function byteCount(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** Parses `Content-Range: bytes FIRST-LAST/TOTAL` (`TOTAL` may be `*`). */
export function parseContentRange(
  value: string | undefined,
): { first: number; last: number; total: number | undefined } | undefined {
  const match = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15}|\*)$/.exec(value?.trim() ?? "");
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  const total = match[3] === "*" ? undefined : Number(match[3]);
  if (last < first || (total !== undefined && last >= total)) return undefined;
  return { first, last, total };
}

/**
 * The response's strong validator: an ETag not marked weak (`W/`), else a `Last-Modified` at
 * least one second before the response's `Date`. A weak ETag may stay the same when the bytes
 * change, and a file may change twice within the second its modification date names, so neither
 * may splice a file together (RFC 9110 §8.8.2.2, §13.1.5).
 */
export function strongValidator(header: (name: string) => string | undefined): StrongValidator | undefined {
  const etag = header("etag")?.trim();
  if (etag && /^"[\x21\x23-\x7e\x80-\xff]*"$/.test(etag)) return { header: "etag", value: etag };
  const lastModified = header("last-modified")?.trim();
  const sentAt = Date.parse(header("date") ?? "");
  const modifiedAt = Date.parse(lastModified ?? "");
  if (lastModified && Number.isFinite(modifiedAt) && Number.isFinite(sentAt) && sentAt - modifiedAt >= 1000) {
    return { header: "last-modified", value: lastModified };
  }
  return undefined;
}

/** The identity of a full response: its length, its validator, whether it can be resumed. */
function identityOf(response: ResponseHead): FileIdentity {
  // A decoded body is longer than the `Content-Length` of its encoding, and a `Range` would
  // count bytes of the encoding: neither applies to what is written.
  if (response.decoded) return { totalBytes: undefined, validator: undefined, resumable: false };
  const validator = strongValidator((name) => response.header(name));
  const ranges = response.header("accept-ranges")?.trim().toLowerCase() === "bytes";
  return {
    totalBytes: byteCount(response.header("content-length")),
    validator,
    resumable: ranges && validator !== undefined,
  };
}

/**
 * Judges a response to a request for the whole file (`resume` undefined) or for its continuation
 * from `resume.offset` with `If-Range: resume.identity.validator`.
 */
export function judge(
  response: ResponseHead,
  resume: { readonly offset: number; readonly identity: FileIdentity } | undefined,
): Verdict {
  const { status } = response;
  if (status === 200 || status === 203) return { kind: "whole", identity: identityOf(response) };
  if (status === 416 && resume) {
    return { kind: "unusable", reason: "the host no longer has the bytes asked for (416)" };
  }
  if (status !== 206) return { kind: "refused", status };
  if (!resume) return { kind: "unusable", reason: "a 206 Partial Content answered a request for the whole file" };
  const range = parseContentRange(response.header("content-range"));
  if (!range) return { kind: "unusable", reason: "a 206 without a usable Content-Range" };
  if (range.first !== resume.offset) {
    return { kind: "unusable", reason: `a 206 starting at byte ${range.first} instead of ${resume.offset}` };
  }
  const known = resume.identity.totalBytes;
  if (known !== undefined && range.total !== known) {
    return { kind: "unusable", reason: `a 206 of a ${range.total ?? "unknown"}-byte file instead of ${known} bytes` };
  }
  const validator = resume.identity.validator;
  if (!validator || response.header(validator.header)?.trim() !== validator.value) {
    return { kind: "unusable", reason: `a 206 of another version of the file (its ${validator?.header} changed)` };
  }
  if (response.decoded) return { kind: "unusable", reason: "a 206 with a Content-Encoding" };
  const length = response.header("content-length");
  const end = range.last + 1;
  if (length !== undefined && byteCount(length) !== end - range.first) {
    return { kind: "unusable", reason: "a 206 whose Content-Length disagrees with its Content-Range" };
  }
  return { kind: "part", end, totalBytes: range.total ?? known };
}
