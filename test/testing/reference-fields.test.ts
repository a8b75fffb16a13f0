import { describe, expect, it } from "vitest";
import { toJSONSchema } from "zod/mini";
import { MODELS } from "../../src/index.js";
import { REFERENCE_FIELDS, type ReferenceField } from "../../src/testing/reference-fields.js";
import { setup } from "../support/gateway.js";

const MODEL_LIST = Object.values(MODELS);

interface SchemaProperty {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

/** The SDK schema's view of a field, in the reference table's terms. */
function sdkField(property: SchemaProperty, required: boolean): ReferenceField {
  const values = property.enum;
  const type = values?.every((value) => Number.isInteger(value)) ? "integer" : (property.type ?? "string");
  return {
    type: type as ReferenceField["type"],
    required,
    ...(values ? { values: values as (string | number)[] } : {}),
    ...(property.minimum !== undefined && property.minimum > Number.MIN_SAFE_INTEGER ? { min: property.minimum } : {}),
    ...(property.maximum !== undefined && property.maximum < Number.MAX_SAFE_INTEGER ? { max: property.maximum } : {}),
  };
}

/**
 * Where the SDK checks more than the reference states, on purpose, and why. Each is a bound the
 * reference's words imply but do not write; `uncheckedFields` sends a value past it.
 */
const SDK_STRICTER: Readonly<Record<string, string>> = {
  "ltx-2-19b-api-513.num_frames": "a number of frames to generate: at least 1",
  "ltx-2-19b-api-513.fps": "frames per second of a video: at least 1",
};

describe("the fake gateway's table of the reference and the SDK's schemas", () => {
  it("agree on every model's fields, required flags, types, closed lists and ranges (a disagreement names the field)", () => {
    const disagreements: string[] = [];
    const stricter: string[] = [];
    for (const model of MODEL_LIST) {
      const schema = toJSONSchema(model.input, { unrepresentable: "any" }) as {
        properties: Record<string, SchemaProperty>;
        required?: string[];
      };
      const reference = REFERENCE_FIELDS[model.id] ?? {};
      const names = new Set([...Object.keys(schema.properties), ...Object.keys(reference)]);
      for (const name of names) {
        const property = schema.properties[name];
        const documented = reference[name];
        if (!property || !documented) {
          disagreements.push(`${model.id}.${name}: ${property ? "not in the reference's table" : "not in the SDK"}`);
          continue;
        }
        const sdk = sdkField(property, schema.required?.includes(name) ?? false);
        // The SDK may be stricter than the reference only where the reference's words require
        // it (non-empty prompts, http(s) URLs): those checks are refinements, not types or lists.
        const differs = JSON.stringify(sdk) !== JSON.stringify(documented);
        if (differs && SDK_STRICTER[`${model.id}.${name}`]) stricter.push(`${model.id}.${name}`);
        else if (differs) {
          disagreements.push(
            `${model.id}.${name}: SDK ${JSON.stringify(sdk)}, reference ${JSON.stringify(documented)}`,
          );
        }
      }
    }
    expect(disagreements).toEqual([]);
    // Every stated exception is still one (none outlived a schema change).
    expect(stricter.sort()).toEqual(Object.keys(SDK_STRICTER).sort());
  });

  it("would name a field whose SDK schema was wrong", () => {
    // The same comparison, against a table with one value changed: proof the check can fail.
    const model = MODEL_LIST.find((candidate) => candidate.id === "ltx-2-video-api-581");
    const schema = toJSONSchema(model?.input ?? MODELS["ltx-2-3-text-to-video"].input) as {
      properties: Record<string, SchemaProperty>;
    };
    const sdk = sdkField(schema.properties.resolution ?? {}, false);
    expect(sdk).toEqual(REFERENCE_FIELDS["ltx-2-video-api-581"]?.resolution);
    expect(sdk).not.toEqual({ ...REFERENCE_FIELDS["ltx-2-video-api-581"]?.resolution, values: ["720p", "1080p"] });
  });
});

describe("the fake gateway checks submits against the reference, not the SDK", () => {
  const submitRaw = async (url: string, path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "Ocp-Apim-Subscription-Key": "k" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error: string; message: string } };
  };

  it("refuses what the reference refuses, naming the field", async () => {
    const { gateway } = await setup();
    const path = "/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request";
    const refused = await submitRaw(gateway.url, path, { prompt: "x", duration: 7, fps: "25" });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("duration: must be one of 6, 8, 10");
    expect(refused.body.message).toContain("fps: must be of type integer");
    const missing = await submitRaw(gateway.url, path, { duration: 6 });
    expect(missing.body.message).toContain("prompt: is required");
  });

  it("takes what the reference allows even where the SDK checks more (a blank prompt, a non-URL image)", async () => {
    const { gateway } = await setup();
    const taken = await submitRaw(gateway.url, "/ltx-2-19b-api-513/v1/ltx-2-19b-api-request", {
      prompt: " ",
      image_url: "not a url",
      video_size: "landscape_16_9",
    });
    expect(taken.status).toBe(202);
  });
});
