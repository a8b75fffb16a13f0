export * from "./errors.js";
export { type ErrorResponse, errorFromResponse } from "./from-response.js";
