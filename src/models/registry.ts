import { ValidationError } from "../errors/errors.js";
import type { ModelDefinition } from "./define.js";
import { lightricksVideo } from "./lightricks-video.js";
import { ltx219bApi513 } from "./ltx-2-19b-api-513.js";
import { ltx23AudioToVideo } from "./ltx-2-3-audio-to-video.js";
import { ltx23ImageToVideo } from "./ltx-2-3-image-to-video.js";
import { ltx23RetakeVideo } from "./ltx-2-3-retake-video.js";
import { ltx23TextToVideo } from "./ltx-2-3-text-to-video.js";
import { ltx2VideoApi581 } from "./ltx-2-video-api-581.js";

/** Every model the SDK knows, in the order of the reference. Adding a model is one line here. */
export const MODEL_LIST = [
  ltx23TextToVideo,
  ltx23ImageToVideo,
  ltx23AudioToVideo,
  ltx23RetakeVideo,
  lightricksVideo,
  ltx219bApi513,
  ltx2VideoApi581,
] as const;

/** The id of a model the SDK knows, e.g. `"ltx-2-3-text-to-video"`. */
export type ModelId = (typeof MODEL_LIST)[number]["id"];

/** The models keyed by id. */
export const MODELS: { readonly [Id in ModelId]: ModelDefinition<Id> } = Object.freeze(
  Object.fromEntries(MODEL_LIST.map((model) => [model.id, model])),
) as { readonly [Id in ModelId]: ModelDefinition<Id> };

/**
 * The input a model takes: a JSON object of the gateway's own field names (snake_case), sent as
 * the submit body.
 */
export type ModelInput = Readonly<Record<string, unknown>>;

/** The input of the model `Id`. */
export type InputOf<Id extends ModelId> = Id extends ModelId ? ModelInput : never;

/**
 * Looks up a model by id.
 *
 * @throws {ValidationError} naming the known ids when `modelId` is not one of them.
 */
export function getModel(modelId: string): ModelDefinition {
  if (typeof modelId === "string" && Object.hasOwn(MODELS, modelId)) return MODELS[modelId as ModelId];
  throw new ValidationError([
    {
      path: ["modelId"],
      message: "unknown model id",
      received: modelId,
      allowed: MODEL_LIST.map((model) => model.id).join(", "),
    },
  ]);
}
