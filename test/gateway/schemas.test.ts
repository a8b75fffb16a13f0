import { describe, expect, it } from "vitest";
import { jobStatusSchema, parseGatewayTimestamp, submittedJobSchema } from "../../src/job/status.js";

// Bodies as the reference prints them.
const completed = {
  request_id: "ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  status: "COMPLETED",
  model_id: "ltx-2-3-text-to-video",
  error: null,
  output: {
    media_url: ["https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/ltx-2-3-text-to-video_019dxxxx/output.mp4"],
    media_type: "video/mp4",
  },
  created_at: "2026-03-31T10:00:00.000Z",
  updated_at: "2026-03-31T10:00:15.000Z",
  completed_at: "2026-03-31T10:00:15.000Z",
};
const callback = {
  ...completed,
  created_at: "2026-05-22T13:17:32.110Z",
  updated_at: "2026-05-22 13:19:23",
  completed_at: "2026-05-22 13:19:23",
};
const errorViaStatus = {
  request_id: "ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  status: "ERROR",
  model_id: "ltx-2-3-text-to-video",
  error: "Description of the error",
  output: null,
};

describe("the status schema", () => {
  it("accepts the documented completed response unchanged", () => {
    expect(jobStatusSchema.parse(completed)).toEqual(completed);
  });

  it("accepts the callback's mixed timestamp formats", () => {
    expect(jobStatusSchema.parse(callback)).toEqual(callback);
  });

  it("accepts the error body, which has no timestamps, reading completed_at as null", () => {
    expect(jobStatusSchema.parse(errorViaStatus)).toEqual({ ...errorViaStatus, completed_at: null });
  });

  it("passes through a status value and fields the reference does not list", () => {
    const parsed = jobStatusSchema.parse({ ...errorViaStatus, status: "CANCELLED", progress: 0.4 });
    expect(parsed.status).toBe("CANCELLED");
    expect(parsed).toHaveProperty("progress", 0.4);
  });

  it("reads a missing error or output as null", () => {
    const parsed = jobStatusSchema.parse({ request_id: "x_1", status: "QUEUED" });
    expect(parsed.error).toBeNull();
    expect(parsed.output).toBeNull();
  });

  it.each([
    [{ status: "QUEUED" }, "request_id"],
    [
      { request_id: "x_1", status: "COMPLETED", output: { media_url: "https://a/b.mp4", media_type: "video/mp4" } },
      "media_url",
    ],
    [{ request_id: "x_1", status: "ERROR", error: 500 }, "error"],
  ])("rejects %j (bad %s)", (body, field) => {
    const result = jobStatusSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(
      field === "media_url" ? "output.media_url" : field,
    );
  });
});

describe("the submit reply schema", () => {
  it("accepts the documented reply", () => {
    const reply = {
      request_id: "ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
      status: "QUEUED",
      polling_url:
        "https://gateway.pixazo.ai/v2/requests/status/ltx-2-3-text-to-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    };
    expect(submittedJobSchema.parse(reply)).toEqual(reply);
  });

  it("rejects a reply without request_id", () => {
    expect(submittedJobSchema.safeParse({ status: "QUEUED" }).success).toBe(false);
    expect(submittedJobSchema.safeParse({ request_id: "", status: "QUEUED" }).success).toBe(false);
  });
});

describe("parseGatewayTimestamp", () => {
  it("reads both formats of the reference as the same instant", () => {
    expect(parseGatewayTimestamp("2026-05-22 13:19:23")?.toISOString()).toBe("2026-05-22T13:19:23.000Z");
    expect(parseGatewayTimestamp("2026-05-22T13:19:23.000Z")?.toISOString()).toBe("2026-05-22T13:19:23.000Z");
    expect(parseGatewayTimestamp("2026-05-22 13:19:23.5")?.toISOString()).toBe("2026-05-22T13:19:23.500Z");
  });

  it("returns undefined for missing or unreadable values", () => {
    expect(parseGatewayTimestamp(null)).toBeUndefined();
    expect(parseGatewayTimestamp("...")).toBeUndefined();
  });
});
