import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod/mini";
import {
  type CompletedJob,
  type InputOf,
  type JobOutput,
  type JobStatus,
  type Ltx219bApi513Input,
  type ModelId,
  type ModelOf,
  Pixazo,
  type SubmittedJob,
  undocumentedFields,
} from "../../src/index.js";
import type { ModelInputs } from "../../src/models/registry.js";

/** The input type read off a model's schema, which `InputOf` names one by one. */
type SchemaInputOf<Id extends ModelId> = z.input<ModelOf<Id>["input"]>;

// These checks run in the type checker (vitest's typecheck, part of `npm test`, and
// `npm run typecheck`): every `@ts-expect-error` line must be a compile error, or the check itself
// fails. Nothing here runs.
const client = new Pixazo({ apiKey: "types-only", baseUrl: "http://127.0.0.1:9" });

describe("input types", () => {
  it("are keyed by model id", () => {
    expectTypeOf<ModelId>().toEqualTypeOf<
      | "ltx-2-3-text-to-video"
      | "ltx-2-3-image-to-video"
      | "ltx-2-3-audio-to-video"
      | "ltx-2-3-retake-video"
      | "lightricks-video"
      | "ltx-2-19b-api-513"
      | "ltx-2-video-api-581"
    >();
    expectTypeOf<InputOf<"ltx-2-3-text-to-video">["duration"]>().toEqualTypeOf<6 | 8 | 10 | undefined>();
    expectTypeOf<InputOf<"ltx-2-video-api-581">["fps"]>().toEqualTypeOf<24 | 25 | 30 | undefined>();
    expectTypeOf<InputOf<"ltx-2-3-retake-video">["retake_mode"]>().toEqualTypeOf<
      "replace_audio_and_video" | "replace_video_only"
    >();
    expectTypeOf<InputOf<"lightricks-video">["webhook_events_filter"]>().toEqualTypeOf<
      ["*"] | ["completed"] | undefined
    >();
  });

  it("autocomplete the documented values of open lists and accept others", () => {
    expectTypeOf<"high">().toExtend<NonNullable<Ltx219bApi513Input["video_quality"]>>();
    expectTypeOf<"ultra">().toExtend<NonNullable<Ltx219bApi513Input["video_quality"]>>();
  });

  it("turn a wrong field or value into a compile error", () => {
    const compileOnly = () => {
      // @ts-expect-error duration must be 6, 8 or 10
      void client.submit("ltx-2-3-text-to-video", { prompt: "x", duration: 7 });
      // @ts-expect-error unknown field
      void client.submit("ltx-2-3-text-to-video", { prompt: "x", durations: 6 });
      // @ts-expect-error image_url is required for image-to-video
      void client.submit("ltx-2-3-image-to-video", { prompt: "x" });
      // @ts-expect-error resolution 1440p is not offered by ltx-2-video-api-581
      void client.generate("ltx-2-video-api-581", { prompt: "x", image_url: "https://a/b.png", resolution: "1440p" });
      // @ts-expect-error aspect_ratio "auto" is image-to-video only
      void client.ltx23.textToVideo({ prompt: "x", aspect_ratio: "auto" });
      const retake = {
        prompt: "x",
        video_url: "https://a/b.mp4",
        duration: 5,
        retake_mode: "replace_video_only",
      } as const;
      // @ts-expect-error start_time is a number
      void client.ltx23.retakeVideo.submit({ ...retake, start_time: "0" });
      // @ts-expect-error not a model
      void client.submit("ltx-3", { prompt: "x" });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });
});

describe("shortcuts", () => {
  it("are grouped by family, generate by default and submit on request", () => {
    expectTypeOf(client.ltx23.textToVideo).parameter(0).toEqualTypeOf<InputOf<"ltx-2-3-text-to-video">>();
    expectTypeOf(client.ltx23.textToVideo).returns.resolves.toEqualTypeOf<CompletedJob>();
    expectTypeOf(client.ltx23.imageToVideo.submit).returns.resolves.toEqualTypeOf<SubmittedJob>();
    expectTypeOf(client.ltx2.pro.modelId).toEqualTypeOf<"lightricks-video">();
    expectTypeOf(client.ltx2.imageToVideo.modelId).toEqualTypeOf<"ltx-2-video-api-581">();
    expectTypeOf(client.ltx2.imageToVideo19b.modelId).toEqualTypeOf<"ltx-2-19b-api-513">();
    expectTypeOf(client.ltx23.audioToVideo.modelId).toEqualTypeOf<"ltx-2-3-audio-to-video">();
    expectTypeOf(client.ltx23.retakeVideo.modelId).toEqualTypeOf<"ltx-2-3-retake-video">();
  });
});

describe("status types", () => {
  it("make a misspelt field a compile error, with undocumented fields reachable through undocumentedFields()", () => {
    const typed = (job: JobStatus) => {
      // @ts-expect-error misspelt: request_id
      void job.reqest_id;
      // @ts-expect-error misspelt: media_url
      void job.output?.media_urls;
      expectTypeOf(undocumentedFields(job)).toEqualTypeOf<Readonly<Record<string, unknown>>>();
    };
    expectTypeOf(typed).toBeFunction();
  });

  it("type what generate and wait return as completed, with its output", () => {
    expectTypeOf(client.generate).returns.resolves.toEqualTypeOf<CompletedJob>();
    expectTypeOf(client.wait).returns.resolves.toEqualTypeOf<CompletedJob>();
    expectTypeOf<CompletedJob["output"]>().toEqualTypeOf<JobOutput>();
    expectTypeOf<CompletedJob["output"]["media_url"][number]>().toEqualTypeOf<string>();
  });
});

describe("InputOf", () => {
  it("names, for every model, exactly the input type its schema reads", () => {
    expectTypeOf<InputOf<"ltx-2-3-text-to-video">>().toEqualTypeOf<SchemaInputOf<"ltx-2-3-text-to-video">>();
    expectTypeOf<InputOf<"ltx-2-3-image-to-video">>().toEqualTypeOf<SchemaInputOf<"ltx-2-3-image-to-video">>();
    expectTypeOf<InputOf<"ltx-2-3-audio-to-video">>().toEqualTypeOf<SchemaInputOf<"ltx-2-3-audio-to-video">>();
    expectTypeOf<InputOf<"ltx-2-3-retake-video">>().toEqualTypeOf<SchemaInputOf<"ltx-2-3-retake-video">>();
    expectTypeOf<InputOf<"lightricks-video">>().toEqualTypeOf<SchemaInputOf<"lightricks-video">>();
    expectTypeOf<InputOf<"ltx-2-19b-api-513">>().toEqualTypeOf<SchemaInputOf<"ltx-2-19b-api-513">>();
    expectTypeOf<InputOf<"ltx-2-video-api-581">>().toEqualTypeOf<SchemaInputOf<"ltx-2-video-api-581">>();
    expectTypeOf<keyof ModelInputs>().toEqualTypeOf<ModelId>();
  });
});
