import { describe, expect, it } from "vitest";
import { MODELS, type ModelId, ValidationError } from "../src/index.js";
import type { ModelShortcut } from "../src/model-shortcuts.js";
import { rejectionOf, setup } from "./support/gateway.js";
import { MINIMAL_INPUTS } from "./support/inputs.js";

const MODEL_LIST = Object.values(MODELS);

function shortcutOf(client: object, modelId: ModelId): ModelShortcut<ModelId> {
  const model = MODEL_LIST.find((candidate) => candidate.id === modelId);
  const group = (client as Record<string, Record<string, ModelShortcut<ModelId>>>)[model?.shortcut.group ?? ""];
  const shortcut = group?.[model?.shortcut.name ?? ""];
  if (!shortcut) throw new Error(`no shortcut for ${modelId}`);
  return shortcut;
}

describe("model shortcuts", () => {
  it.each(MODEL_LIST.map((model) => [`${model.shortcut.group}.${model.shortcut.name}`, model.id] as const))(
    "client.%s generates with %s",
    async (_place, modelId) => {
      const { gateway, client } = await setup();
      const shortcut = shortcutOf(client, modelId);

      const job = await shortcut(MINIMAL_INPUTS[modelId] as never);

      expect(shortcut.modelId).toBe(modelId);
      expect(job.status).toBe("COMPLETED");
      expect(gateway.requestsOf("submit")[0]?.path).toBe(MODEL_LIST.find((m) => m.id === modelId)?.path);
      expect(gateway.requestsOf("submit")[0]?.body).toEqual(MINIMAL_INPUTS[modelId]);
    },
  );

  it("submit without waiting through .submit", async () => {
    const { gateway, client } = await setup();

    const submitted = await client.ltx2.pro.submit({ prompt: "Clouds", duration: 10 });

    expect(submitted.request_id).toMatch(/^lightricks-video_/);
    expect(gateway.requestsOf("status")).toHaveLength(0);
  });

  it("validate like submit does", async () => {
    const { gateway, client } = await setup();

    const error = await rejectionOf(client.ltx23.textToVideo({ prompt: "x", duration: 7 as 6 }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(gateway.requests).toHaveLength(0);
  });
});
