/*
 * The request fields of every model as the API reference documents them ("Request Parameters"
 * of each model), written from the reference, apart from the SDK's schemas: the fake gateway
 * checks submits against this table, so a schema that wrongly refuses or allows a value shows
 * up as a disagreement between the two (test/testing/reference-fields.test.ts names the field).
 *
 * Only what the reference states is here: a closed list where it gives one ("enum", "Valid
 * values", "Accepted values"), a range where it gives one. Fields described by examples ("auto",
 * "512x512", "768x768", etc.) are plain strings.
 */

/** One request field as the reference documents it. */
export interface ReferenceField {
  /** The JSON type the reference gives (its "enum" rows are listed by their values' type). */
  readonly type: "string" | "integer" | "number" | "boolean" | "array";
  readonly required: boolean;
  /** The closed list of values, where the reference gives one. */
  readonly values?: readonly (string | number)[];
  /** The lowest value the reference allows, where it states one. */
  readonly min?: number;
  /** The highest value the reference allows, where it states one. */
  readonly max?: number;
}

const text = { type: "string", required: false } as const;
const requiredText = { type: "string", required: true } as const;
const flag = { type: "boolean", required: false } as const;
const integer = { type: "integer", required: false } as const;

/** Request fields per model id, in the reference's order. */
export const REFERENCE_FIELDS: Readonly<Record<string, Readonly<Record<string, ReferenceField>>>> = {
  "ltx-2-3-text-to-video": {
    prompt: requiredText,
    duration: { ...integer, values: [6, 8, 10] },
    resolution: { ...text, values: ["1080p", "1440p", "2160p"] },
    aspect_ratio: { ...text, values: ["16:9", "9:16"] },
    fps: { ...integer, values: [24, 25, 48, 50] },
    generate_audio: flag,
  },
  "ltx-2-3-image-to-video": {
    image_url: requiredText,
    end_image_url: text,
    prompt: requiredText,
    duration: { ...integer, values: [6, 8, 10] },
    resolution: { ...text, values: ["1080p", "1440p", "2160p"] },
    aspect_ratio: { ...text, values: ["auto", "16:9", "9:16"] },
    fps: { ...integer, values: [24, 25, 48, 50] },
    generate_audio: flag,
  },
  "ltx-2-3-audio-to-video": {
    prompt: requiredText,
    audio_url: requiredText,
    image_url: text,
    guidance_scale: { type: "number", required: false },
  },
  "ltx-2-3-retake-video": {
    prompt: requiredText,
    video_url: requiredText,
    // "Must be non-negative" / "Must be positive".
    start_time: { type: "integer", required: true, min: 0 },
    duration: { type: "integer", required: true, min: 1 },
    retake_mode: { type: "string", required: true, values: ["replace_audio_and_video", "replace_video_only"] },
  },
  "lightricks-video": {
    prompt: requiredText,
    image: text,
    duration: { ...integer, values: [6, 8, 10] },
    resolution: { ...text, values: ["1080p", "1440p", "2160p"] },
    generate_audio: flag,
    webhook: text,
    webhook_events_filter: { type: "array", required: false },
  },
  "ltx-2-19b-api-513": {
    prompt: requiredText,
    image_url: requiredText,
    num_frames: integer,
    video_size: text,
    generate_audio: flag,
    use_multiscale: flag,
    fps: integer,
    acceleration: text,
    camera_lora: text,
    // "(0.0 to 2.0)".
    camera_lora_scale: { type: "number", required: false, min: 0, max: 2 },
    negative_prompt: text,
    enable_safety_checker: flag,
    video_output_type: text,
    video_quality: text,
    video_write_mode: text,
  },
  "ltx-2-video-api-581": {
    image_url: requiredText,
    prompt: requiredText,
    duration: { ...integer, values: [6, 8, 10] },
    resolution: { ...text, values: ["720p", "1080p", "2160p"] },
    fps: { ...integer, values: [24, 25, 30] },
    generate_audio: flag,
  },
};

/** What is wrong with `value` for `field`, in words, or `undefined` when the reference allows it. */
function problemOf(field: ReferenceField, value: unknown): string | undefined {
  const typeOk =
    field.type === "integer"
      ? Number.isInteger(value)
      : field.type === "array"
        ? Array.isArray(value)
        : typeof value === field.type;
  if (!typeOk) return `must be of type ${field.type}`;
  if (field.values && !field.values.includes(value as string | number))
    return `must be one of ${field.values.join(", ")}`;
  if (field.min !== undefined && (value as number) < field.min) return `must be at least ${field.min}`;
  if (field.max !== undefined && (value as number) > field.max) return `must be at most ${field.max}`;
  return undefined;
}

/**
 * Checks a submit body against the reference's table: required fields present, types and closed
 * lists and ranges respected. Fields the table does not know are let through, since the
 * reference does not say the gateway refuses them. `accepted` adds values a test wants the fake
 * to take beyond the reference (a gateway that outgrew its documentation).
 *
 * @returns one line per problem, empty when the body passes.
 */
export function referenceProblems(
  modelId: string,
  body: Readonly<Record<string, unknown>>,
  accepted: Readonly<Record<string, readonly unknown[]>> = {},
): string[] {
  const fields = REFERENCE_FIELDS[modelId] ?? {};
  const problems: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (!Object.hasOwn(body, name)) {
      if (field.required) problems.push(`${name}: is required`);
      continue;
    }
    const value = body[name];
    if (accepted[name]?.includes(value)) continue;
    const problem = problemOf(field, value);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  return problems;
}
