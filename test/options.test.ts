/**
 * Options are checked the one way (src/options/checks.ts) wherever they are taken: each bad value
 * is refused when the object is made, by a ValidationError naming the option and what it allows.
 */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../src/index.js";
import { redisDeliveryStore } from "../src/redis/index.js";
import { MemoryDeliveryStore, WebhookReceiver, type WebhookReceiverOptions } from "../src/webhooks/index.js";

function refusal(make: () => unknown): ValidationError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("WebhookReceiver options", () => {
  const bad: [keyof WebhookReceiverOptions, unknown, string][] = [
    ["maxBodyBytes", 0, "an integer ≥ 1"],
    ["maxBodyBytes", 1.5, "an integer ≥ 1"],
    ["latestCapacity", -1, "an integer ≥ 1"],
    ["latestMaxBytes", Number.NaN, "an integer ≥ 1"],
    // Beyond what a timer holds, Node would fire it at once: every body would time out.
    ["bodyTimeoutMs", 3e9, "a number of milliseconds from 1 to 2147483647"],
    ["bodyTimeoutMs", "10s", "a number of milliseconds"],
    ["verifyReadsPerSecond", 0, "a number of reads > 0"],
    ["onEvent", "log", "a function"],
    ["onError", {}, "a function"],
    ["verify", {}, "a Pixazo client"],
    ["store", new Map(), "a DeliveryStore"],
  ];
  for (const [name, value, allowed] of bad) {
    it(`refuses ${name}: ${String(value)}, naming it and what it allows`, () => {
      const error = refusal(() => new WebhookReceiver({ [name]: value }));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.path).toEqual(["options", name]);
      expect(error.issues[0]?.allowed).toContain(allowed);
      expect(error.message).toContain(`options.${name}`);
    });
  }

  it("never shows a store or a verifier it refuses", () => {
    const secretish = { apiKey: "sk-secret", status: "no" };
    const error = refusal(() => new WebhookReceiver({ verify: secretish as never }));
    expect(error.message).not.toContain("sk-secret");
    expect(error.issues[0]).not.toHaveProperty("received");
  });

  it("takes every option at its bounds", () => {
    const receiver = new WebhookReceiver({
      maxBodyBytes: 1,
      bodyTimeoutMs: 2147483647,
      latestCapacity: 1,
      latestMaxBytes: 1,
      verifyReadsPerSecond: 0.5,
      onEvent: () => {},
      onError: () => {},
      store: new MemoryDeliveryStore(1),
    });
    expect(receiver.maxBodyBytes).toBe(1);
  });
});

describe("delivery stores", () => {
  it("refuses a MemoryDeliveryStore capacity that is not a positive integer", () => {
    for (const capacity of [0, -3, 2.5, Number.POSITIVE_INFINITY]) {
      const error = refusal(() => new MemoryDeliveryStore(capacity));
      expect(error.issues[0]).toMatchObject({ path: ["capacity"], received: capacity, allowed: "an integer ≥ 1" });
    }
  });

  it("refuses a Redis delivery store's ttlMs that is not a positive integer, before any command", () => {
    const commands: unknown[] = [];
    const redis = { call: async (...args: unknown[]) => void commands.push(args) };
    for (const ttlMs of [0, 1.5, -1, Number.NaN]) {
      const error = refusal(() => redisDeliveryStore(redis as never, { ttlMs }));
      expect(error.issues[0]?.path).toEqual(["ttlMs"]);
    }
    expect(commands).toEqual([]);
  });
});
