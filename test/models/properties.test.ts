import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MODELS, type ModelDefinition, ValidationError } from "../../src/index.js";
import { describeModelInput, type FieldDescription } from "../../src/models/describe.js";
import { validateInput } from "../../src/models/validate.js";
import { rejectionOf, setup } from "../support/gateway.js";

const MODEL_LIST = Object.values(MODELS);

/** Values the field accepts, built from what its schema says is allowed. */
function validValue(field: FieldDescription): fc.Arbitrary<unknown> {
  const allowed = field.allowed ?? "";
  if (allowed.includes(" | "))
    return fc.constantFrom(...allowed.split(" | ").map((value) => JSON.parse(value) as unknown));
  if (field.name === "webhook_events_filter") return fc.constantFrom(["*"], ["completed"]);
  if (allowed.startsWith("absolute http(s) URL")) return fc.webUrl({ validSchemes: ["https", "http"] });
  if (field.type === "boolean") return fc.boolean();
  if (field.type === "integer") return fc.integer({ min: Number(/≥ (\d+)/.exec(allowed)?.[1] ?? 0), max: 1_000_000 });
  if (field.type === "number") {
    const min = Number(/≥ ([\d.]+)/.exec(allowed)?.[1] ?? -1e6);
    const max = Number(/≤ ([\d.]+)/.exec(allowed)?.[1] ?? 1e6);
    return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  }
  // Text: prompts and open lists need a non-space character; negative_prompt takes anything.
  return field.name === "negative_prompt"
    ? fc.string()
    : fc.string({ minLength: 1 }).filter((text) => text.trim().length > 0);
}

function validInput(model: ModelDefinition): fc.Arbitrary<Record<string, unknown>> {
  const fields = describeModelInput(model);
  const shape = Object.fromEntries(fields.map((field) => [field.name, validValue(field)]));
  return fc.record(shape, { requiredKeys: fields.filter((field) => field.required).map((field) => field.name) });
}

/** A valid input broken in one of the ways a careless caller breaks it. */
function invalidInput(model: ModelDefinition): fc.Arbitrary<unknown> {
  const fields = describeModelInput(model);
  const required = fields.filter((field) => field.required).map((field) => field.name);
  return fc.oneof(
    validInput(model).chain((input) =>
      fc
        .constantFrom(...required)
        .map((name) => Object.fromEntries(Object.entries(input).filter(([key]) => key !== name))),
    ),
    fc
      .tuple(
        validInput(model),
        fc.constantFrom(...fields),
        fc.oneof(fc.constant(null), fc.object(), fc.array(fc.nat()), fc.constant({})),
      )
      .map(([input, field, wrong]) => ({ ...input, [field.name]: wrong })),
    fc
      .tuple(
        validInput(model),
        fc.string({ minLength: 1 }).filter((key) => !fields.some((f) => f.name === key) && key !== "__proto__"),
      )
      .map(([input, key]) => ({ ...input, [key]: "unexpected" })),
    fc.anything().filter((value) => typeof value !== "object" || value === null || Array.isArray(value)),
  );
}

describe.each(MODEL_LIST.map((model) => [model.id, model] as const))("%s, fuzzed", (_id, model) => {
  it("takes any valid input unchanged", () => {
    fc.assert(
      fc.property(validInput(model), (input) => {
        const body = validateInput(model, input);
        expect(JSON.stringify(body)).toBe(JSON.stringify(input));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses any invalid input with a ValidationError, never a crash", () => {
    fc.assert(
      fc.property(invalidInput(model), (input) => {
        let thrown: unknown;
        try {
          validateInput(model, input);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ValidationError);
        expect((thrown as ValidationError).issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("sends valid inputs to the wire unchanged, and nothing for invalid ones", async () => {
    const { gateway, client } = await setup();
    const valid = fc.sample(validInput(model), 25);
    const invalid = fc.sample(invalidInput(model), 25);

    for (const input of valid) await client.submit(model.id as "lightricks-video", input as never);
    for (const input of invalid)
      expect(await rejectionOf(client.submit(model.id as "lightricks-video", input as never))).toBeInstanceOf(
        ValidationError,
      );

    expect(gateway.requests.map((request) => JSON.stringify(request.body))).toEqual(
      valid.map((input) => JSON.stringify(input)),
    );
  });
});
