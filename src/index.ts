export { Pixazo } from "./client.js";
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type GenerateOptions,
  type PixazoOptions,
  type StatusOptions,
  type SubmitOptions,
  type WaitOptions,
} from "./client-options.js";
export {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  GenerationFailedError,
  InsufficientBalanceError,
  InternalServerError,
  ModelNotFoundError,
  NotFoundError,
  PermissionDeniedError,
  PixazoError,
  RateLimitError,
  type RequestDescription,
  RequestTimeoutError,
  SubmitUncertainError,
  UnexpectedResponseError,
  ValidationError,
  type ValidationIssue,
  WaitTimeoutError,
} from "./errors/errors.js";
export {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
} from "./gateway/poll-schedule.js";
export {
  type CompletedJob,
  type JobOutput,
  type JobStatus,
  type JobStatusValue,
  KNOWN_JOB_STATUSES,
  parseGatewayTimestamp,
  type SubmittedJob,
  TERMINAL_JOB_STATUSES,
} from "./gateway/schemas.js";
export type { FetchLike } from "./gateway/transport.js";
export type { ModelDefinition } from "./models/define.js";
export { getModel, type InputOf, MODEL_LIST, MODELS, type ModelId, type ModelInput } from "./models/registry.js";
export { VERSION } from "./version.js";
