import type * as z from "zod/mini";

/** A model's input schema: a strict zod object whose keys are the gateway's field names. */
export type ModelInputSchema = z.ZodMiniObject<z.core.$ZodShape, z.core.$strict>;

/** Where a model's shortcut sits on the client: `client[group][name](input)`. */
export interface ShortcutPlacement<Group extends string = string, Name extends string = string> {
  readonly group: Group;
  readonly name: Name;
}

/**
 * The declaration of one gateway endpoint. A model file declares one of these and does no I/O;
 * the registry collects them.
 */
export interface ModelDefinition<
  Id extends string = string,
  Input extends ModelInputSchema = ModelInputSchema,
  Shortcut extends ShortcutPlacement = ShortcutPlacement,
> {
  /** The gateway's model id: `model_id` in status objects and the prefix of every `request_id`. */
  readonly id: Id;
  /** Submit path below the gateway base URL. */
  readonly path: `/${string}`;
  /** Human name, as the reference's section title gives it. */
  readonly title: string;
  /** One line on what the model does. */
  readonly summary: string;
  /** The input schema: a strict zod object of the gateway's field names. */
  readonly input: Input;
  /** Where the model's shortcut sits on the client. */
  readonly shortcut: Shortcut;
  /**
   * What measures a job's size from its checked input (frames × megapixels, see `work.ts`): only
   * ever compared with the work of the model's defaults, `work({})`, so its unit is the model's own.
   */
  readonly work: (input: Readonly<Record<string, unknown>>) => number;
}

/**
 * Declares a model, keeping its id, schema and shortcut placement as literal types so the registry
 * can key input types and client shortcuts by them. The schema is given as the function that
 * builds it and built on first use: seven schemas built at import were a third of the package's
 * import time, for programs that may check one model's input, or none.
 *
 * @example
 * ```ts
 * export const myModel = defineModel({
 *   id: "my-model",
 *   path: "/my-model/v1/request",
 *   title: "My model",
 *   summary: "Makes videos.",
 *   input: () => z.strictObject({ prompt: promptText() }),
 *   shortcut: { group: "mine", name: "video" },
 *   work: (input) => positiveOr(input.duration, 6),
 * });
 * ```
 */
export function defineModel<
  const Id extends string,
  Input extends ModelInputSchema,
  const Shortcut extends ShortcutPlacement,
>(
  definition: Omit<ModelDefinition<Id, Input, Shortcut>, "input"> & { readonly input: () => Input },
): ModelDefinition<Id, Input, Shortcut> {
  let input: Input | undefined;
  return Object.freeze({
    ...definition,
    get input(): Input {
      input ??= definition.input();
      return input;
    },
  });
}
