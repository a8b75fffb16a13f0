/**
 * The declaration of one gateway endpoint. A model file declares one of these and does no I/O;
 * the registry collects them.
 */
export interface ModelDefinition<Id extends string = string> {
  /** The gateway's model id: `model_id` in status objects and the prefix of every `request_id`. */
  readonly id: Id;
  /** Submit path below the gateway base URL. */
  readonly path: `/${string}`;
  /** Human name, as the reference's section title gives it. */
  readonly title: string;
  /** One line on what the model does. */
  readonly summary: string;
}

/**
 * Declares a model, keeping its id as a literal type so the registry can key input types by it.
 *
 * @example
 * ```ts
 * export const myModel = defineModel({ id: "my-model", path: "/my-model/v1/request", title: "My model", summary: "…" });
 * ```
 */
export function defineModel<const Id extends string>(definition: ModelDefinition<Id>): ModelDefinition<Id> {
  return Object.freeze(definition);
}
