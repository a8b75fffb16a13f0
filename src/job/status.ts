import * as z from "zod/mini";

/** The status values the reference lists ("Status Values"). */
export const KNOWN_JOB_STATUSES = ["QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR"] as const;

/**
 * A job's status. The five documented values autocomplete; any other string the gateway may add
 * later is passed through rather than rejected, so an older SDK keeps working.
 */
export type JobStatusValue = (typeof KNOWN_JOB_STATUSES)[number] | (string & {});

/** The statuses after which a job never changes again. */
export const TERMINAL_JOB_STATUSES: ReadonlySet<string> = new Set(["COMPLETED", "FAILED", "ERROR"]);

/** Whether the job is in a final status: nothing later can change it. */
export function isTerminal(status: { readonly status: string }): boolean {
  return TERMINAL_JOB_STATUSES.has(status.status);
}

const jobStatusValue = z.string().check(z.minLength(1)) as unknown as z.ZodMiniType<JobStatusValue>;

/**
 * Longest `request_id` accepted from the gateway or a caller. The reference shows ids of the form
 * `<model id>_<uuid>` (about 60 characters) and states no limit; the bound is the SDK's, so an id
 * from a hostile reply or callback cannot grow paths, maps and messages without end.
 */
export const MAX_REQUEST_ID_LENGTH = 256;

/**
 * Deepest nesting of arrays and objects accepted in a reply or a webhook body. The deepest
 * documented shape (status object → `output` → `media_url`) has three levels; the margin leaves
 * room for fields the gateway may add, while a body of thousands of levels, which
 * `JSON.stringify` and `util.inspect` cannot print, is refused.
 */
export const MAX_REPLY_DEPTH = 16;

const requestId = z.string().check(z.minLength(1), z.maxLength(MAX_REQUEST_ID_LENGTH));

/** A missing `error` / `output` / `completed_at` means the same as the documented `null`. */
const nullable = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.nullish(schema),
    z.transform((value: z.output<T> | null | undefined) => value ?? null),
  );

/**
 * The reply to a submit (reference, "Response"): `202` with the job's id, `QUEUED`, and the status
 * URL. Field names as the gateway sends them; fields the reference does not list are kept on the
 * object, reached with {@link undocumentedFields}.
 */
export interface SubmittedJob {
  /** Unique id of the job, `"<model id>_<uuid>"`. Keep it: it is how you find the job again. */
  request_id: string;
  /** Initial status, normally `"QUEUED"`. */
  status: JobStatusValue;
  /**
   * The status URL. Informational: the SDK always builds the status URL from the configured
   * gateway and `request_id`, so a URL on another origin is never followed with the API key.
   */
  polling_url?: string | undefined;
}

/** What a completed job produced (reference, "Response Fields"). */
export interface JobOutput {
  /** URLs of the generated media on the CDN. Download them without the API key. */
  media_url: string[];
  /**
   * MIME type of the media, e.g. `"video/mp4"`; the reference's examples also show
   * `"application/octet-stream"`.
   */
  media_type: string;
}

/**
 * A job's status object, as `client.status()` returns it and webhooks deliver it
 * (`GET /v2/requests/status/{request_id}`).
 *
 * Timestamps stay strings exactly as sent: the reference shows two formats
 * (`2026-03-31T10:00:00.000Z` and `2026-05-22 13:19:23`); {@link parseGatewayTimestamp} reads
 * both. Fields the reference does not list are kept on the object, reached with
 * {@link undocumentedFields}.
 */
export interface JobStatus {
  /** The job's id, as `submit` returned it. */
  request_id: string;
  /** `QUEUED`, `PROCESSING`, `COMPLETED`, `FAILED` or `ERROR`; another value is passed through. */
  status: JobStatusValue;
  /** Model that ran the job, e.g. `"ltx-2-3-text-to-video"`. */
  model_id?: string | undefined;
  /** Error text when the job failed, otherwise `null`. */
  error: string | null;
  /** The result once `COMPLETED`, otherwise `null`. */
  output: JobOutput | null;
  /** When the job was created. */
  created_at?: string | undefined;
  /** When the status last changed. */
  updated_at?: string | undefined;
  /** When the job reached a terminal status, otherwise `null`. */
  completed_at: string | null;
}

/**
 * A job that finished successfully, with its output: what `generate` and `wait` return, so
 * `job.output.media_url[0]` needs no `?.`.
 */
export interface CompletedJob extends JobStatus {
  status: "COMPLETED";
  output: JobOutput;
}

/** The submit reply's schema; its type is {@link SubmittedJob}. */
export const submittedJobSchema: z.ZodMiniType<SubmittedJob, unknown> = z.looseObject({
  /** Unique id of the job, `"<model id>_<uuid>"`. Keep it: it is how you find the job again. */
  request_id: requestId,
  /** Initial status, normally `"QUEUED"`. */
  status: jobStatusValue,
  /**
   * The status URL. Informational: the SDK always builds the status URL from the configured
   * gateway and `request_id`, so a URL on another origin is never followed with the API key.
   */
  polling_url: z.optional(z.string()),
});

const outputShape = {
  /** URLs of the generated media on the CDN. Download them without the API key. */
  media_url: z.array(z.string()),
  /** MIME type of the media, e.g. `"video/mp4"`. */
  media_type: z.string(),
};

/** The schema of a job's output; its type is {@link JobOutput}. */
export const jobOutputSchema: z.ZodMiniType<JobOutput, unknown> = z.looseObject(outputShape);

/** The status object's schema; its type is {@link JobStatus}. Fields it does not list are kept. */
export const jobStatusSchema: z.ZodMiniType<JobStatus, unknown> = z.looseObject({
  request_id: requestId,
  status: jobStatusValue,
  /** Model that ran the job, e.g. `"ltx-2-3-text-to-video"`. */
  model_id: z.optional(z.string()),
  /** Error text when the job failed, otherwise `null`. */
  error: nullable(z.string()),
  /** The result once `COMPLETED`, otherwise `null`. */
  output: nullable(z.looseObject(outputShape)),
  created_at: z.optional(z.string()),
  updated_at: z.optional(z.string()),
  /** When the job reached a terminal status, otherwise `null`. */
  completed_at: nullable(z.string()),
});

/** Every field name the reference documents for a submit reply, a status object or an output. */
const DOCUMENTED_FIELDS = new Set([
  "request_id",
  "status",
  "polling_url",
  "model_id",
  "error",
  "output",
  "created_at",
  "updated_at",
  "completed_at",
  "media_url",
  "media_type",
]);

/**
 * The fields of a gateway object that the reference does not document: kept as the gateway sent
 * them, and typed `unknown` here rather than on the object, so a misspelt documented field stays
 * a compile error.
 *
 * @example
 * ```ts
 * const job = await client.status(requestId);
 * const { progress } = undocumentedFields(job); // unknown: check its type before use
 * ```
 */
export function undocumentedFields(value: SubmittedJob | JobStatus | JobOutput): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(value).filter(([name]) => !DOCUMENTED_FIELDS.has(name)));
}

/**
 * Reads a gateway timestamp in either format the reference shows. The space-separated form
 * carries no zone; the reference pairs it with ISO `Z` timestamps of the same event, so it is
 * read as UTC.
 *
 * @returns the instant, or `undefined` for a missing or unreadable value.
 * @example
 * ```ts
 * parseGatewayTimestamp("2026-05-22 13:19:23")?.toISOString(); // "2026-05-22T13:19:23.000Z"
 * ```
 */
export function parseGatewayTimestamp(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const spaced = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(value.trim());
  const iso = spaced ? `${spaced[1]}T${spaced[2]}Z` : value.trim();
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time);
}
