import { describe, expect, it } from "vitest";
import { MODELS, type ModelId, ValidationError } from "../../src/index.js";
import { getModel } from "../../src/models/registry.js";
import { setup } from "../support/gateway.js";
import { MINIMAL_INPUTS } from "../support/inputs.js";

const MODEL_LIST = Object.values(MODELS);

// The table of the design guide, itself taken from the reference's "POST" lines.
const PATHS = {
  "ltx-2-3-text-to-video": "/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request",
  "ltx-2-3-image-to-video": "/ltx-2-3-image-to-video/v1/ltx-2-3-image-to-video-request",
  "ltx-2-3-audio-to-video": "/ltx-2-3-audio-to-video/v1/ltx-2-3-audio-to-video-request",
  "ltx-2-3-retake-video": "/ltx-2-3-retake-video/v1/ltx-2-3-retake-video-request",
  "lightricks-video": "/lightricks/v1/ltx/generate",
  "ltx-2-19b-api-513": "/ltx-2-19b-api-513/v1/ltx-2-19b-api-request",
  "ltx-2-video-api-581": "/ltx-2-video-api-581/v1/ltx-2-video-api-request",
};

describe("the model registry", () => {
  it("holds the seven LTX models with their submit paths", () => {
    expect(Object.fromEntries(MODEL_LIST.map((model) => [model.id, model.path]))).toEqual(PATHS);
    expect(Object.keys(MODELS)).toEqual(Object.keys(PATHS));
  });

  it("looks models up by id and names the known ids for an unknown one", () => {
    expect(getModel("lightricks-video").path).toBe("/lightricks/v1/ltx/generate");
    expect(() => getModel("toString")).toThrow(ValidationError);
    expect(() => getModel("ltx-3")).toThrow(/ltx-2-19b-api-513/);
  });

  it("gives every model a distinct shortcut", () => {
    const places = MODEL_LIST.map((model) => `${model.shortcut.group}.${model.shortcut.name}`);
    expect(new Set(places).size).toBe(MODEL_LIST.length);
  });

  it.each(Object.entries(PATHS))("submits %s to %s", async (modelId, path) => {
    const { gateway, client } = await setup();
    const input = MINIMAL_INPUTS[modelId as ModelId];

    const submitted = await client.submit(modelId as "lightricks-video", input as never);

    expect(gateway.requests[0]?.path).toBe(path);
    expect(gateway.requests[0]?.body).toEqual(input);
    expect(submitted.request_id.startsWith(`${modelId}_`)).toBe(true);
  });
});
