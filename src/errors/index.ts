export * from "./errors.js";
export { errorFromResponse, type ErrorResponse } from "./from-response.js";
