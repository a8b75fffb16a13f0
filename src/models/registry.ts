import { ValidationError } from "../errors/errors.js";
import type { ModelDefinition } from "./define.js";
import { type LightricksVideoInput, lightricksVideo } from "./lightricks-video.js";
import { type Ltx23AudioToVideoInput, ltx23AudioToVideo } from "./ltx-2-3-audio-to-video.js";
import { type Ltx23ImageToVideoInput, ltx23ImageToVideo } from "./ltx-2-3-image-to-video.js";
import { type Ltx23RetakeVideoInput, ltx23RetakeVideo } from "./ltx-2-3-retake-video.js";
import { type Ltx23TextToVideoInput, ltx23TextToVideo } from "./ltx-2-3-text-to-video.js";
import { type Ltx219bApi513Input, ltx219bApi513 } from "./ltx-2-19b-api-513.js";
import { type Ltx2VideoApi581Input, ltx2VideoApi581 } from "./ltx-2-video-api-581.js";
import { closestField } from "./validate.js";

/**
 * Every model the SDK knows, keyed by id, in the order of the reference (`Object.values(MODELS)`
 * lists them). Adding a model is one line here.
 */
export const MODELS = Object.freeze({
  [ltx23TextToVideo.id]: ltx23TextToVideo,
  [ltx23ImageToVideo.id]: ltx23ImageToVideo,
  [ltx23AudioToVideo.id]: ltx23AudioToVideo,
  [ltx23RetakeVideo.id]: ltx23RetakeVideo,
  [lightricksVideo.id]: lightricksVideo,
  [ltx219bApi513.id]: ltx219bApi513,
  [ltx2VideoApi581.id]: ltx2VideoApi581,
});

/** The id of a model the SDK knows, e.g. `"ltx-2-3-text-to-video"`. */
export type ModelId = keyof typeof MODELS;

/** The declaration of the model `Id`, with its literal types. */
export type ModelOf<Id extends ModelId> = (typeof MODELS)[Id];

/**
 * Each model's input type, by id. Named one by one rather than read off `MODEL_LIST`, whose
 * published type is printed without the fields' TSDoc: through these, hovering a field shows its
 * description and default. A type test checks each equals its schema's input type.
 */
export interface ModelInputs {
  "ltx-2-3-text-to-video": Ltx23TextToVideoInput;
  "ltx-2-3-image-to-video": Ltx23ImageToVideoInput;
  "ltx-2-3-audio-to-video": Ltx23AudioToVideoInput;
  "ltx-2-3-retake-video": Ltx23RetakeVideoInput;
  "lightricks-video": LightricksVideoInput;
  "ltx-2-19b-api-513": Ltx219bApi513Input;
  "ltx-2-video-api-581": Ltx2VideoApi581Input;
}

/**
 * The input of the model `Id`: its fields, named as the gateway names them (snake_case), typed
 * from its schema, so a wrong field or value is a compile error.
 *
 * @example
 * ```ts
 * const input: InputOf<"ltx-2-3-text-to-video"> = { prompt: "Waves at dusk", duration: 8 };
 * ```
 */
export type InputOf<Id extends ModelId> = ModelInputs[Id];

/**
 * Looks up a model by id.
 *
 * @throws {ValidationError} naming the known ids when `modelId` is not one of them.
 */
export function getModel(modelId: string): ModelDefinition {
  if (typeof modelId === "string" && Object.hasOwn(MODELS, modelId)) return MODELS[modelId as ModelId];
  const ids = Object.keys(MODELS);
  const suggestion = typeof modelId === "string" ? closestField(modelId, ids) : undefined;
  throw new ValidationError([
    {
      path: ["modelId"],
      message: `unknown model id${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      received: modelId,
      allowed: ids.join(", "),
    },
  ]);
}
