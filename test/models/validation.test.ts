import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { type InputOf, MODELS, type ModelId, ValidationError } from "../../src/index.js";
import { getModel } from "../../src/models/registry.js";
import { validateInput } from "../../src/schemas.js";
import { rejectionOf, setup } from "../support/gateway.js";
import { MINIMAL_INPUTS } from "../support/inputs.js";

/** The reference's submit bodies, from its JSON blocks (scripts/extract-reference-json.mjs). */
const requestBodies = (
  JSON.parse(readFileSync(new URL("../fixtures/reference-json-blocks.json", import.meta.url), "utf8")) as {
    model: ModelId;
    section: string;
    kind: string;
    body: Record<string, unknown>;
  }[]
).filter((block) => block.kind === "request");

const MODEL_IDS = Object.keys(MODELS) as ModelId[];

/** Submits through the real client and returns the ValidationError, asserting nothing was sent. */
async function refused(modelId: ModelId, input: Record<string, unknown>): Promise<ValidationError> {
  const { gateway, client } = await setup();
  const error = await rejectionOf(client.submit(modelId as "lightricks-video", input as never));
  expect(error).toBeInstanceOf(ValidationError);
  expect(gateway.requests).toHaveLength(0);
  return error as ValidationError;
}

/** Submits the minimal input with `field` set to each value, asserting each reaches the wire. */
async function expectEachSent(modelId: ModelId, field: string, values: readonly unknown[]): Promise<void> {
  for (const value of values) {
    const { gateway, client } = await setup();
    await client.submit(modelId as "lightricks-video", { ...MINIMAL_INPUTS[modelId], [field]: value } as never);
    expect(gateway.requests[0]?.body).toMatchObject({ [field]: value });
  }
}

function paths(error: ValidationError): string[] {
  return error.issues.map((issue) => issue.path.join("."));
}

describe("the reference's own request bodies", () => {
  const cases = requestBodies.map((block) => [block.model, block.section, block.body] as const);

  it("cover every model", () => {
    expect(new Set(cases.map(([modelId]) => modelId))).toEqual(new Set(MODEL_IDS));
  });

  it.each(cases)("%s (%s) reach the wire unchanged at the documented path", async (modelId, _source, body) => {
    const { gateway, client } = await setup();

    await client.submit(modelId as "lightricks-video", body as never);

    const [request] = gateway.requests;
    expect(request?.path).toBe(MODELS[modelId].path);
    expect(JSON.stringify(request?.body)).toBe(JSON.stringify(body));
  });
});

describe("required fields", () => {
  const cases = MODEL_IDS.flatMap((modelId) =>
    Object.keys(MINIMAL_INPUTS[modelId]).map((field) => [modelId, field] as const),
  );

  it.each(cases)("%s without %s is refused, naming the field", async (modelId, field) => {
    const { [field]: _removed, ...input } = MINIMAL_INPUTS[modelId] as Record<string, unknown>;

    const error = await refused(modelId, input);

    expect(error.issues).toEqual([expect.objectContaining({ path: [field], message: "is required" })]);
  });

  it.each(MODEL_IDS)("%s refuses an empty or blank prompt", async (modelId) => {
    for (const prompt of ["", "   \n"]) {
      const error = await refused(modelId, { ...MINIMAL_INPUTS[modelId], prompt });
      expect(error.issues[0]).toMatchObject({ path: ["prompt"], received: prompt, message: "must not be empty" });
    }
  });
});

/** Every closed list of the reference, with a value just outside it. */
const CLOSED_LISTS: [ModelId, string, unknown[], unknown][] = [
  ["ltx-2-3-text-to-video", "duration", [6, 8, 10], 7],
  ["ltx-2-3-text-to-video", "resolution", ["1080p", "1440p", "2160p"], "720p"],
  ["ltx-2-3-text-to-video", "aspect_ratio", ["16:9", "9:16"], "auto"],
  ["ltx-2-3-text-to-video", "fps", [24, 25, 48, 50], 30],
  ["ltx-2-3-image-to-video", "duration", [6, 8, 10], 5],
  ["ltx-2-3-image-to-video", "resolution", ["1080p", "1440p", "2160p"], "4k"],
  ["ltx-2-3-image-to-video", "aspect_ratio", ["auto", "16:9", "9:16"], "1:1"],
  ["ltx-2-3-image-to-video", "fps", [24, 25, 48, 50], 60],
  ["ltx-2-3-retake-video", "retake_mode", ["replace_audio_and_video", "replace_video_only"], "replace_audio_only"],
  ["lightricks-video", "duration", [6, 8, 10], 12],
  ["lightricks-video", "resolution", ["1080p", "1440p", "2160p"], "720p"],
  ["ltx-2-video-api-581", "duration", [6, 8, 10], 9],
  ["ltx-2-video-api-581", "resolution", ["720p", "1080p", "2160p"], "1440p"],
  ["ltx-2-video-api-581", "fps", [24, 25, 30], 48],
];

describe("closed lists", () => {
  it.each(CLOSED_LISTS)("%s.%s accepts each of %j", async (modelId, field, allowed) => {
    await expectEachSent(modelId, field, allowed);
  });

  it.each(CLOSED_LISTS)("%s.%s refuses a value outside %j", async (modelId, field, allowed, outside) => {
    const error = await refused(modelId, { ...MINIMAL_INPUTS[modelId], [field]: outside });

    expect(error.issues).toEqual([
      {
        path: [field],
        message: "is not one of the allowed values",
        received: outside,
        allowed: allowed.map((v) => JSON.stringify(v)).join(", "),
      },
    ]);
  });

  it("lightricks-video webhook_events_filter takes only the two documented filters", async () => {
    const { gateway, client } = await setup();
    await client.submit("lightricks-video", { prompt: "x", webhook_events_filter: ["completed"] });
    await client.submit("lightricks-video", { prompt: "x", webhook_events_filter: ["*"] });
    expect(gateway.requests).toHaveLength(2);

    for (const filter of [["failed"], ["*", "completed"], [], "*"]) {
      const error = await refused("lightricks-video", { prompt: "x", webhook_events_filter: filter });
      expect(error.issues[0]).toMatchObject({ path: ["webhook_events_filter"] });
    }
  });
});

/** Range edges: [model, field, accepted values, refused values, allowed text]. */
const RANGES: [ModelId, string, unknown[], unknown[], string][] = [
  ["ltx-2-3-retake-video", "start_time", [0, 1, 3600], [-1, 0.5], "a number ≥ 0"],
  ["ltx-2-3-retake-video", "duration", [1, 20], [0, -3, 2.5], "a number ≥ 1"],
  ["ltx-2-19b-api-513", "num_frames", [1, 121], [0, 12.5], "a number ≥ 1"],
  ["ltx-2-19b-api-513", "fps", [1, 25], [0, 24.5], "a number ≥ 1"],
  ["ltx-2-19b-api-513", "camera_lora_scale", [0, 0.5, 1, 2], [-0.01, 2.01], ""],
];

describe("ranges", () => {
  it.each(RANGES)("%s.%s accepts %j", async (modelId, field, accepted) => {
    await expectEachSent(modelId, field, accepted);
  });

  it.each(RANGES)("%s.%s refuses %j", async (modelId, field, _accepted, refusedValues, allowed) => {
    for (const value of refusedValues) {
      const error = await refused(modelId, { ...MINIMAL_INPUTS[modelId], [field]: value });
      expect(error.issues[0]).toMatchObject({ path: [field], received: value });
      if (allowed && Number.isInteger(value)) expect(error.issues[0]?.allowed).toBe(allowed);
    }
  });

  it("camera_lora_scale names both ends of its range", async () => {
    const below = await refused("ltx-2-19b-api-513", { ...MINIMAL_INPUTS["ltx-2-19b-api-513"], camera_lora_scale: -1 });
    const above = await refused("ltx-2-19b-api-513", { ...MINIMAL_INPUTS["ltx-2-19b-api-513"], camera_lora_scale: 3 });
    expect(below.issues[0]?.allowed).toBe("a number ≥ 0");
    expect(above.issues[0]?.allowed).toBe("a number ≤ 2");
  });
});

describe("wrong types", () => {
  const cases = MODEL_IDS.flatMap((modelId) =>
    Object.entries(MODELS[modelId].input.shape).map(([field]) => [modelId, field] as const),
  );

  it.each(cases)("%s.%s refuses a value of the wrong type", async (modelId, field) => {
    const sample = requestBodies
      .filter((block) => block.model === modelId)
      .map((block) => block.body[field])
      .find((value) => value !== undefined);
    const known = sample ?? (MINIMAL_INPUTS[modelId] as Record<string, unknown>)[field];
    // A value of another JSON type than the documented one.
    const wrong =
      typeof known === "string"
        ? 42
        : typeof known === "number"
          ? "42"
          : typeof known === "boolean"
            ? "true"
            : { nested: true };

    const error = await refused(modelId, { ...MINIMAL_INPUTS[modelId], [field]: wrong });

    expect(paths(error)).toEqual([field]);
    expect(error.issues[0]?.received).toEqual(wrong);
  });
});

describe("URL fields", () => {
  const URL_FIELDS: [ModelId, string][] = [
    ["ltx-2-3-image-to-video", "image_url"],
    ["ltx-2-3-image-to-video", "end_image_url"],
    ["ltx-2-3-audio-to-video", "audio_url"],
    ["ltx-2-3-audio-to-video", "image_url"],
    ["ltx-2-3-retake-video", "video_url"],
    ["lightricks-video", "image"],
    ["lightricks-video", "webhook"],
    ["ltx-2-19b-api-513", "image_url"],
    ["ltx-2-video-api-581", "image_url"],
  ];

  it.each(URL_FIELDS)("%s.%s must be an absolute http(s) URL", async (modelId, field) => {
    for (const value of [
      "example.com/a.png",
      "/images/a.png",
      "ftp://example.com/a.png",
      "file:///etc/passwd",
      "https://",
    ]) {
      const error = await refused(modelId, { ...MINIMAL_INPUTS[modelId], [field]: value });
      expect(error.issues[0]).toMatchObject({
        path: [field],
        received: value,
        message: "must be an absolute http(s) URL",
      });
    }
    const { gateway, client } = await setup();
    await client.submit(
      modelId as "lightricks-video",
      { ...MINIMAL_INPUTS[modelId], [field]: "http://cdn.example.com/a?x=1" } as never,
    );
    expect(gateway.requests).toHaveLength(1);
  });
});

describe("open lists of the 19B model", () => {
  const base = MINIMAL_INPUTS["ltx-2-19b-api-513"];

  it("accept documented and undocumented strings alike", async () => {
    const { gateway, client } = await setup();
    const input: InputOf<"ltx-2-19b-api-513"> = {
      ...base,
      video_quality: "ultra",
      video_output_type: "ProRes (.mov)",
      video_write_mode: "high-quality",
      acceleration: "regional",
      camera_lora: "dolly_in",
      video_size: "1024x576",
    };
    await client.submit("ltx-2-19b-api-513", input);
    expect(gateway.requests[0]?.body).toEqual(input);
  });

  it("take video_size as an example-described field: any non-empty string, sent as given", async () => {
    const { gateway, client } = await setup();
    for (const video_size of ["landscape_16_9", "1280X720", "720p", "auto", "512x512"]) {
      await client.submit("ltx-2-19b-api-513", { ...base, video_size });
      expect(gateway.requests.at(-1)?.body).toEqual({ ...base, video_size });
    }
  });

  it("still refuse an empty string", async () => {
    const empty = await refused("ltx-2-19b-api-513", { ...base, video_quality: "" });
    expect(empty.issues[0]?.path).toEqual(["video_quality"]);
    const size = await refused("ltx-2-19b-api-513", { ...base, video_size: "" });
    expect(size.issues[0]).toMatchObject({ path: ["video_size"], allowed: "at least 1 character" });
  });
});

describe("unknown fields", () => {
  it("are refused, named, with the closest known field suggested", async () => {
    const error = await refused("ltx-2-3-text-to-video", { prompt: "x", durations: 6, aspectRatio: "16:9", zzz: 1 });

    expect(error.issues).toEqual([
      expect.objectContaining({
        path: ["durations"],
        message: 'unknown field of ltx-2-3-text-to-video; did you mean "duration"?',
        received: 6,
      }),
      expect.objectContaining({
        path: ["aspectRatio"],
        message: 'unknown field of ltx-2-3-text-to-video; did you mean "aspect_ratio"?',
      }),
      expect.objectContaining({ path: ["zzz"], message: "unknown field of ltx-2-3-text-to-video" }),
    ]);
    expect(error.issues[0]?.allowed).toContain("prompt, duration, resolution, fps, generate_audio, aspect_ratio");
    expect(error.issues[0]?.allowed).toContain("extraFields");
  });

  it("can be sent on purpose with extraFields, beside the checked input", async () => {
    const { gateway, client } = await setup();

    await client.submit(
      "ltx-2-3-text-to-video",
      { prompt: "x", duration: 8 },
      { extraFields: { seed: 42, style: { a: 1 } } },
    );

    expect(JSON.stringify(gateway.requests[0]?.body)).toBe('{"prompt":"x","duration":8,"seed":42,"style":{"a":1}}');
  });

  it("cannot smuggle a known field past its check through extraFields", async () => {
    const { gateway, client } = await setup();

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", { prompt: "x" }, { extraFields: { duration: 7 } }),
    )) as ValidationError;

    expect(error.issues[0]).toMatchObject({ path: ["extraFields", "duration"], received: 7 });
    expect(gateway.requests).toHaveLength(0);
  });
});

describe("uncheckedFields", () => {
  const base = MINIMAL_INPUTS["ltx-2-video-api-581"];

  it("send a known field's value the check refuses, as given, the rest still checked", async () => {
    const { gateway, client } = await setup(
      {},
      { acceptedBeyondReference: { "ltx-2-video-api-581": { resolution: ["1440p"] } } },
    );
    const plain = await refused("ltx-2-video-api-581", { ...base, resolution: "1440p" as never });
    expect(plain.issues[0]?.path).toEqual(["resolution"]);

    await client.submit("ltx-2-video-api-581", { ...base, duration: 8 }, { uncheckedFields: { resolution: "1440p" } });
    const sent = gateway.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toEqual({ ...base, duration: 8, resolution: "1440p" });
    expect(Object.keys(sent)).toEqual([...Object.keys(base), "duration", "resolution"]);

    const still = await rejectionOf(
      client.submit(
        "ltx-2-video-api-581",
        { ...base, duration: 7 as never },
        { uncheckedFields: { resolution: "1440p" } },
      ),
    );
    expect((still as ValidationError).issues.map((issue) => issue.path)).toEqual([["duration"]]);
    expect(gateway.requests).toHaveLength(1);
  });

  it("lift the requirement of a required field they carry", async () => {
    const { gateway, client } = await setup();
    const { image_url, ...withoutImage } = base;
    await client.submit("ltx-2-video-api-581", withoutImage as never, {
      uncheckedFields: { image_url: "s3://bucket/a.png" },
    });
    expect(gateway.requests.at(-1)?.body).toEqual({ ...withoutImage, image_url: "s3://bucket/a.png" });
  });

  it("refuse a field the model does not have, one also set in the input, and forbidden keys, before any request", async () => {
    const { gateway, client } = await setup();
    const error = (await rejectionOf(
      client.submit(
        "ltx-2-video-api-581",
        { ...base, resolution: "720p" },
        {
          uncheckedFields: { resolution: "1440p", seed: 1, fps: { constructor: 1 } } as never,
        },
      ),
    )) as ValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual([
      ["uncheckedFields", "fps", "constructor"],
      ["uncheckedFields", "resolution"],
      ["uncheckedFields", "seed"],
    ]);
    expect(error.issues[2]?.allowed).toContain("extraFields");
    expect(gateway.requests).toHaveLength(0);
  });

  it("are typed by the model's field names", () => {
    const client = null as unknown as import("../../src/index.js").Pixazo;
    const typed = () =>
      client.submit(
        "ltx-2-3-text-to-video",
        { prompt: "x" },
        {
          // @ts-expect-error not a field of ltx-2-3-text-to-video
          uncheckedFields: { resolutin: "4k" },
        },
      );
    expect(typeof typed).toBe("function");
  });
});

describe("the body sent", () => {
  it("leaves out optional fields the caller left out, and sends explicit false and 0", async () => {
    const { gateway, client } = await setup();

    await client.submit("ltx-2-3-text-to-video", { prompt: "x" });
    await client.submit("ltx-2-3-text-to-video", { prompt: "x", generate_audio: false });
    await client.submit("ltx-2-3-retake-video", { ...MINIMAL_INPUTS["ltx-2-3-retake-video"], start_time: 0 });
    await client.submit("ltx-2-19b-api-513", {
      ...MINIMAL_INPUTS["ltx-2-19b-api-513"],
      camera_lora_scale: 0,
      negative_prompt: "",
    });

    const bodies = gateway.requests.map((request) => JSON.stringify(request.body));
    expect(bodies[0]).toBe('{"prompt":"x"}');
    expect(bodies[1]).toBe('{"prompt":"x","generate_audio":false}');
    expect(gateway.requests[2]?.body).toMatchObject({ start_time: 0 });
    expect(gateway.requests[3]?.body).toMatchObject({ camera_lora_scale: 0, negative_prompt: "" });
  });
});

describe("ValidationError", () => {
  it("lists every bad field with its path, value and what is allowed, in one message", async () => {
    const error = await refused("ltx-2-3-image-to-video", {
      prompt: "",
      image_url: "not-a-url",
      duration: 7,
      fps: "25",
      colour: "red",
    });

    expect(paths(error)).toEqual(["image_url", "prompt", "duration", "fps", "colour"]);
    expect(error.message).toBe(
      [
        "Invalid input, no request was sent (5 invalid fields):",
        '  - image_url: must be an absolute http(s) URL (received "not-a-url"); allowed: an absolute http(s) URL, e.g. "https://example.com/image.png"',
        '  - prompt: must not be empty (received ""); allowed: text with at least one non-space character',
        "  - duration: is not one of the allowed values (received 7); allowed: 6, 8, 10",
        '  - fps: is not one of the allowed values (received "25"); allowed: 24, 25, 48, 50',
        '  - colour: unknown field of ltx-2-3-image-to-video (received "red"); allowed: image_url, end_image_url, prompt, duration, resolution, fps, generate_audio, aspect_ratio (send other fields on purpose with the extraFields option)',
      ].join("\n"),
    );
  });

  it("refuses an input that is not a plain object", async () => {
    class Prompt {
      prompt = "Waves";
    }
    for (const input of [null, "prompt", ["prompt"], new Date(), new Prompt(), new Map([["prompt", "Waves"]])]) {
      const error = await refused("ltx-2-3-text-to-video", input as never);
      expect(error.issues[0]?.path).toEqual(["input"]);
    }
  });

  it("takes an object literal made in another realm (a vm context, an iframe, a test environment)", () => {
    const foreign = runInNewContext('({ prompt: "Waves at dusk", duration: 8 })') as object;
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    expect(validateInput(getModel("ltx-2-3-text-to-video"), foreign)).toEqual({ prompt: "Waves at dusk", duration: 8 });
  });
});
