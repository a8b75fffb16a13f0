import { monotonicNow } from "../internal/clock.js";
import type { JobStatus, JobStatusValue } from "../job/status.js";
import { outputShapeOf, type ReplyChannel, timestampOf } from "./reference-replies.js";

/** How a fake job moves: one entry of `statuses` per status read, the last one repeating. */
export interface FakeJobScript {
  /**
   * Status reads answered `QUEUED` before processing starts.
   * @default 1
   */
  queuedPolls?: number;
  /**
   * Status reads answered `PROCESSING` before the outcome.
   * @default 2
   */
  processingPolls?: number;
  /**
   * The final status.
   * @default "COMPLETED"
   */
  outcome?: "COMPLETED" | "FAILED" | "ERROR";
  /**
   * The `error` text of a `FAILED` or `ERROR` outcome.
   * @default "Description of the error"
   */
  error?: string;
  /**
   * Make the job take this long in wall time instead of a number of reads: `QUEUED` for
   * `queuedMs`, `PROCESSING` until `durationMs` after the submit, then the outcome, whoever polls
   * and however often.
   * @default undefined (the job moves one step per status read)
   */
  durationMs?: number;
  /**
   * With `durationMs`: how long the job stays `QUEUED` first.
   * @default 0
   */
  queuedMs?: number;
  /**
   * The whole sequence, overriding the three fields above: e.g.
   * `["QUEUED", "WARMING_UP", "PROCESSING", "COMPLETED"]` to try an undocumented status.
   */
  statuses?: JobStatusValue[];
  /**
   * For a job submitted with a webhook: milliseconds between the steps of the gateway's own queue
   * (such a job moves by itself, whether or not anybody polls).
   * @default 25
   */
  stepMs?: number;
  /** How webhook callbacks of this job are delivered. */
  deliveries?: {
    /**
     * How many times each callback is POSTed (the reference warns of duplicates).
     * @default 1
     */
    copies?: number;
    /**
     * Drop every callback of this job, as if lost on the network.
     * @default false
     */
    lose?: boolean;
  };
}

/** The webhook a job was submitted with (`X-Webhook-URL`, `X-Webhook-Mode`). */
export interface FakeWebhook {
  readonly url: string;
  readonly mode: "terminal" | "sync";
}

/** A job held by the fake gateway. */
export interface FakeJob {
  readonly requestId: string;
  readonly modelId: string;
  /** The submit body as received. */
  readonly input: unknown;
  /** The statuses to answer, one per read; the last one repeats. */
  readonly statuses: readonly JobStatusValue[];
  /** How far along `statuses` the job is. */
  step: number;
  readonly createdAt: Date;
  /**
   * When the job was created, in `performance.now()` ms: a `durationMs` job is timed on this
   * clock, so a resync of the machine's wall clock does not stall or rush it.
   */
  readonly createdAtMonotonicMs: number;
  /**
   * When the job reached its terminal status: `durationMs` after its creation for a timed job,
   * else when that status was first served. `undefined` until then.
   */
  completedAt?: Date | undefined;
  readonly error: string;
  /** The webhook it was submitted with, if any; such a job moves on the gateway's clock. */
  readonly webhook: FakeWebhook | undefined;
  /** The script it was created from. */
  readonly script: FakeJobScript;
}

const TERMINAL = new Set(["COMPLETED", "FAILED", "ERROR"]);

/** The status sequence a script describes. */
export function statusesOf(script: FakeJobScript): JobStatusValue[] {
  if (script.durationMs !== undefined) return ["QUEUED", "PROCESSING", script.outcome ?? "COMPLETED"];
  if (script.statuses && script.statuses.length > 0) return [...script.statuses];
  return [
    ...Array<JobStatusValue>(script.queuedPolls ?? 1).fill("QUEUED"),
    ...Array<JobStatusValue>(script.processingPolls ?? 2).fill("PROCESSING"),
    script.outcome ?? "COMPLETED",
  ];
}

/** Whether the job moves on wall time (`durationMs`) rather than by steps. */
export function isTimed(job: FakeJob): boolean {
  return job.script.durationMs !== undefined;
}

/** Where the job is along `statuses` now. */
function currentStep(job: FakeJob): number {
  const { durationMs, queuedMs = 0 } = job.script;
  if (durationMs === undefined) return Math.min(job.step, job.statuses.length - 1);
  const elapsed = monotonicNow() - job.createdAtMonotonicMs;
  return elapsed >= durationMs ? 2 : elapsed >= queuedMs ? 1 : 0;
}

/** Whether the job has reached the last entry of its script. */
export function isFinished(job: FakeJob): boolean {
  return currentStep(job) >= job.statuses.length - 1;
}

/**
 * The job's current status object, in the documented shape. Timestamps use both formats the
 * reference shows: ISO for `created_at`, space-separated for the others.
 */
export function statusObjectOf(job: FakeJob, mediaBaseUrl: string, channel: ReplyChannel): JobStatus {
  // mediaBaseUrl is the fake CDN: media URLs live on another origin than the gateway, as on R2.
  const status = job.statuses[currentStep(job)] ?? "QUEUED";
  const now = new Date();
  const terminal = TERMINAL.has(status);
  // The time the job ended, not the time of this read: clients learn run times from it.
  if (terminal && !job.completedAt) {
    const { durationMs } = job.script;
    job.completedAt = durationMs === undefined ? now : new Date(job.createdAt.getTime() + durationMs);
  }
  return {
    request_id: job.requestId,
    status,
    model_id: job.modelId,
    error: status === "FAILED" || status === "ERROR" ? job.error : null,
    output: status === "COMPLETED" ? outputOf(job, mediaBaseUrl, channel) : null,
    created_at: timestampOf(job.createdAt, channel, "created_at"),
    updated_at: timestampOf(job.completedAt ?? now, channel, "updated_at"),
    completed_at: job.completedAt ? timestampOf(job.completedAt, channel, "completed_at") : null,
  };
}

/** A completed job's output, shaped as the reference shows it for the job's model on `channel`. */
function outputOf(
  job: FakeJob,
  mediaBaseUrl: string,
  channel: ReplyChannel,
): { media_url: string[]; media_type: string } {
  const shape = outputShapeOf(job.modelId, channel);
  return { media_url: [`${mediaBaseUrl}/v1/${job.requestId}/${shape.fileName}`], media_type: shape.mediaType };
}
