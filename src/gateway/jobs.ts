import type { z } from "zod";
import { type PixazoError, SubmitUncertainError, UnexpectedResponseError } from "../errors/errors.js";
import { excerptOf } from "../internal/excerpt.js";
import type { ModelDefinition } from "../models/define.js";
import { isRetryableRead, isRetryableSubmit, mayHaveCreatedJob, withRetries } from "./retry.js";
import { type JobStatus, jobStatusSchema, type SubmittedJob, submittedJobSchema } from "./schemas.js";
import type { GatewayReply, GatewayTransport } from "./transport.js";

/** The gateway's universal status path for a job. */
export function statusPath(requestId: string): string {
  return `/v2/requests/status/${encodeURIComponent(requestId)}`;
}

/** Checks a 2xx body against the documented shape. */
function parseReply<S extends z.ZodType>(
  schema: S,
  reply: GatewayReply,
  request: { method: string; path: string },
  requestId: string | undefined,
): z.infer<S> {
  const result = schema.safeParse(reply.json);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  // From the text as received: re-serialising a hostile value (deeply nested) could overflow.
  const excerpt = excerptOf(reply.text);
  throw new UnexpectedResponseError({
    message: `${request.method} ${request.path} answered with an undocumented body (${problems}): ${excerpt}`,
    status: 200,
    excerpt,
    request,
    requestId,
  });
}

/** What a submit needs besides the model and its input. */
export interface SubmitCall {
  readonly maxRetries: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * POSTs a job to the model's path. Resent only when the previous attempt provably created no job;
 * a failure after the gateway may have seen the request becomes a {@link SubmitUncertainError}.
 */
export async function submitJob(
  transport: GatewayTransport,
  model: ModelDefinition,
  input: unknown,
  call: SubmitCall,
): Promise<SubmittedJob> {
  const request = { method: "POST", path: model.path };
  try {
    return await withRetries(
      async (signal) => {
        const reply = await transport.send({
          method: "POST",
          path: model.path,
          json: input,
          headers: call.headers,
          signal,
        });
        return parseReply(submittedJobSchema, reply, request, undefined);
      },
      { maxRetries: call.maxRetries, isRetryable: isRetryableSubmit, signal: call.signal },
    );
  } catch (error) {
    if (call.signal?.aborted) throw error;
    if (mayHaveCreatedJob(error)) throw new SubmitUncertainError({ modelId: model.id, cause: error as PixazoError });
    throw error;
  }
}

/** GETs a job's status, retrying transient failures. */
export function readJobStatus(
  transport: GatewayTransport,
  requestId: string,
  call: { maxRetries: number; signal?: AbortSignal | undefined },
): Promise<JobStatus> {
  const path = statusPath(requestId);
  return withRetries(
    async (signal) => {
      const reply = await transport.send({ method: "GET", path, signal, requestId });
      return parseReply(jobStatusSchema, reply, { method: "GET", path }, requestId);
    },
    { maxRetries: call.maxRetries, isRetryable: isRetryableRead, signal: call.signal },
  );
}
