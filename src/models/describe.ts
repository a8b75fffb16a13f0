import { toJSONSchema } from "zod/mini";
import type { ModelDefinition } from "./define.js";

/** One input field of a model, described for people and for command-line parsing. */
export interface FieldDescription {
  /** The gateway's field name. */
  readonly name: string;
  readonly required: boolean;
  /** The JSON type: `string`, `number`, `integer`, `boolean` or `array`. */
  readonly type: string;
  /** What is allowed, in words: a closed list, a range, documented examples, a format. */
  readonly allowed: string | undefined;
}

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
  description?: string;
}

function allowedOf(property: JsonSchemaProperty): string | undefined {
  if (property.enum) return property.enum.map((value) => JSON.stringify(value)).join(" | ");
  const parts: string[] = [];
  if (property.minimum !== undefined && property.minimum > Number.MIN_SAFE_INTEGER) parts.push(`≥ ${property.minimum}`);
  if (property.maximum !== undefined && property.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${property.maximum}`);
  if (property.description) parts.push(property.description);
  if (property.examples) parts.push(`e.g. ${property.examples.map((value) => JSON.stringify(value)).join(", ")}`);
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/**
 * Describes a model's input fields from its schema, required ones first, in schema order.
 *
 * @example
 * ```ts
 * describeModelInput(MODELS["ltx-2-3-text-to-video"]).find((f) => f.name === "duration");
 * // { name: "duration", required: false, type: "number", allowed: "6 | 8 | 10" }
 * ```
 */
export function describeModelInput(model: ModelDefinition): FieldDescription[] {
  const schema = toJSONSchema(model.input, { unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    required: required.has(name),
    type: property.type ?? "string",
    allowed: allowedOf(property),
  }));
  return [...fields.filter((field) => field.required), ...fields.filter((field) => !field.required)];
}
