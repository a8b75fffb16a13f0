import type { GenerateOptions, SubmitOptions } from "./client-options.js";
import type { CompletedJob, SubmittedJob } from "./job/status.js";
import { type InputOf, MODELS, type ModelId } from "./models/registry.js";

/**
 * One model's shortcut on the client: call it to generate (submit and wait), or use `.submit` to
 * only submit.
 *
 * @example
 * ```ts
 * const job = await client.ltx23.textToVideo({ prompt: "Waves at dusk" });
 * const { request_id } = await client.ltx23.textToVideo.submit({ prompt: "Waves at dusk" });
 * ```
 */
export interface ModelShortcut<Id extends ModelId> {
  /** Generates: `client.generate(modelId, input, options)`. */
  (input: InputOf<Id>, options?: GenerateOptions<Id>): Promise<CompletedJob>;
  /** Submits without waiting: `client.submit(modelId, input, options)`. */
  submit(input: InputOf<Id>, options?: SubmitOptions<Id>): Promise<SubmittedJob>;
  /** The model this shortcut calls. */
  readonly modelId: Id;
}

/** The declaration of any model the SDK knows. */
type KnownModel = (typeof MODELS)[ModelId];

/** The shortcuts of every model, grouped by family as the registry places them. */
export type ModelShortcuts = {
  readonly [Group in KnownModel["shortcut"]["group"]]: {
    readonly [Model in Extract<KnownModel, { shortcut: { group: Group } }> as Model["shortcut"]["name"]]: ModelShortcut<
      Model["id"]
    >;
  };
};

/** What a shortcut needs from the client. */
interface JobRunner {
  generate<Id extends ModelId>(modelId: Id, input: InputOf<Id>, options?: GenerateOptions<Id>): Promise<CompletedJob>;
  submit<Id extends ModelId>(modelId: Id, input: InputOf<Id>, options?: SubmitOptions<Id>): Promise<SubmittedJob>;
}

/** Builds every model's shortcut from the registry, so a new model needs no client change. */
export function buildShortcuts(runner: JobRunner): ModelShortcuts {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const model of Object.values(MODELS)) {
    const id: ModelId = model.id;
    const shortcut = Object.assign(
      (input: InputOf<typeof id>, options?: GenerateOptions<typeof id>) => runner.generate(id, input, options),
      {
        submit: (input: InputOf<typeof id>, options?: SubmitOptions<typeof id>) => runner.submit(id, input, options),
        modelId: id,
      },
    );
    groups[model.shortcut.group] ??= {};
    (groups[model.shortcut.group] as Record<string, unknown>)[model.shortcut.name] = Object.freeze(shortcut);
  }
  for (const group of Object.values(groups)) Object.freeze(group);
  return groups as unknown as ModelShortcuts;
}
