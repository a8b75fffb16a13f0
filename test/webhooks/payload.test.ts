import { describe, expect, it } from "vitest";
import { WebhookPayloadError } from "../../src/index.js";
import { parseWebhook } from "../../src/webhooks/index.js";
import { thrownBy } from "../support/gateway.js";

const terminal = {
  request_id: "ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  status: "COMPLETED",
  model_id: "ltx-2-3-text-to-video",
  error: null,
  output: {
    media_url: [
      "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/output.mp4",
    ],
    media_type: "video/mp4",
  },
  created_at: "2026-05-22T13:17:32.110Z",
  updated_at: "2026-05-22 13:19:23",
  completed_at: "2026-05-22 13:19:23",
};
const failure = {
  request_id: "ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  status: "ERROR",
  model_id: "ltx-2-3-text-to-video",
  error: "Description of the error",
  output: null,
  created_at: "...",
  updated_at: "...",
  completed_at: "...",
};

describe("parseWebhook", () => {
  it.each([
    ["a string", JSON.stringify(terminal)],
    ["a Buffer", Buffer.from(JSON.stringify(terminal))],
    ["a Uint8Array", new TextEncoder().encode(JSON.stringify(terminal))],
    ["a parsed object", terminal],
  ])("reads the reference's terminal callback from %s", (_kind, body) => {
    expect(parseWebhook(body)).toEqual(terminal);
  });

  it("reads the reference's failure callback", () => {
    expect(parseWebhook(JSON.stringify(failure))).toEqual(failure);
  });

  it.each([
    ["invalid JSON", "{not json", "is not JSON"],
    ["an empty body", "", "is not JSON"],
    ["a JSON array", "[1,2]", "not a job status object"],
    ["a body without request_id", JSON.stringify({ status: "COMPLETED" }), "request_id"],
    ["a wrongly typed output", JSON.stringify({ ...terminal, output: { media_url: "x" } }), "output.media_url"],
  ])("refuses %s with a clear error", (_kind, body, message) => {
    const error = thrownBy(() => parseWebhook(body));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect((error as Error).message).toContain(message);
  });

  it("refuses a body nested deeper than a status object can be, without parsing it", () => {
    const deep = `{"request_id":"r","status":"COMPLETED","meta":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;

    expect(() => parseWebhook(deep)).toThrow(/nested deeper than 16 levels/);
  });

  it("refuses a request_id longer than 256 characters", () => {
    expect(() => parseWebhook(JSON.stringify({ ...terminal, request_id: "r".repeat(257) }))).toThrow(
      WebhookPayloadError,
    );
  });
});
