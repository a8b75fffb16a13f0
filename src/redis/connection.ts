/*
 * The two Redis clients people use, behind the few operations the companion needs. The package
 * takes the user's own client instance and depends on neither: `ioredis` is told apart by its
 * `call()`, node-redis (`redis`) by `sendCommand()`. Every command goes through the raw form of
 * each, so both send the same words to the server.
 */

import { ValidationError } from "../errors/errors.js";
import { fulfilsWithin } from "../internal/sleep.js";
import { describeThrown, warn } from "../internal/warn.js";

/** An `ioredis` client (`new Redis(...)`), as far as the companion uses it. */
export interface IoRedisLike {
  /** Sends a command in its raw form. */
  call(command: string, ...args: string[]): Promise<unknown>;
  /** Subscribes to channels; messages arrive as "message" events. */
  subscribe(...channels: string[]): Promise<unknown>;
  /** Ends subscriptions. */
  unsubscribe(...channels: string[]): Promise<unknown>;
  /** Listens to a connection event ("message", "error", "ready"). */
  on(event: string, listener: (...args: never[]) => void): unknown;
  /** A new connection with the same options, and those of `override`. */
  duplicate(override?: { autoResubscribe?: boolean }): IoRedisLike;
  /** Closes the connection after pending replies. */
  quit(): Promise<unknown>;
  /** Closes the connection at once. */
  disconnect(): void;
}

/** A node-redis client (`createClient(...)` of the `redis` package, connected), as far as the companion uses it. */
export interface NodeRedisLike {
  /** Sends a command in its raw form. */
  sendCommand(args: string[]): Promise<unknown>;
  /** Subscribes to channels, with their listener. */
  subscribe(channels: string[], listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Removes the listener from channels, unsubscribing those left without one. */
  unsubscribe(channels: string[], listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Listens to a connection event ("error", "ready"). */
  on(event: string, listener: (...args: never[]) => void): unknown;
  /** A new, unconnected client with the same options. */
  duplicate(): NodeRedisLike;
  /** Connects the client. */
  connect(): Promise<unknown>;
  /** Closes the connection after pending replies. */
  quit(): Promise<unknown>;
  /** Closes the connection at once (node-redis 5). */
  destroy?(): void;
  /** Closes the connection at once (node-redis 4). */
  disconnect?(): Promise<unknown>;
}

/** A connected client of `ioredis` or of `redis` (node-redis). */
export type RedisClientLike = IoRedisLike | NodeRedisLike;

/** Sends commands over either client. */
export interface RedisConnection {
  /** Sends one command, e.g. `["SET", key, value, "NX", "PX", "1000"]`. */
  command(args: readonly string[]): Promise<unknown>;
}

function isIoRedis(client: RedisClientLike): client is IoRedisLike {
  return typeof (client as IoRedisLike).call === "function";
}

/**
 * Checks that `client` is a client of one Redis server, of either library.
 *
 * @param path where the client was passed, for the error message.
 * @throws {ValidationError} when `client` is neither an `ioredis` nor a node-redis client, or is
 * a cluster client of either: the companion's keys and channels assume one server.
 */
export function checkedClient(client: RedisClientLike, path: readonly string[]): RedisClientLike {
  const candidate = client as Partial<NodeRedisLike & IoRedisLike> & { isCluster?: unknown; masters?: unknown };
  const isClient = typeof candidate?.call === "function" || typeof candidate?.sendCommand === "function";
  if (!isClient) {
    throw new ValidationError([
      {
        path,
        message: "is not a Redis client",
        allowed: "a client of ioredis (new Redis()) or of redis (createClient(), connected)",
      },
    ]);
  }
  if (candidate.isCluster === true || "masters" in candidate) {
    throw new ValidationError([
      {
        path,
        message: "is a Redis Cluster client, which pixazo-ltx/redis does not support",
        allowed: "a client of one Redis server: ioredis new Redis(), or redis createClient()",
      },
    ]);
  }
  return client;
}

/**
 * The commands side of `client`.
 *
 * @param path where the client was passed, for the error message.
 * @throws {ValidationError} as {@link checkedClient}.
 */
export function redisConnection(client: RedisClientLike, path: readonly string[] = ["redis"]): RedisConnection {
  const checked = checkedClient(client, path);
  if (isIoRedis(checked)) return { command: ([command, ...args]) => checked.call(command as string, ...args) };
  return { command: (args) => checked.sendCommand([...args]) };
}

/** The subscribing side of one client, the same over either library. */
export interface PubSub {
  subscribe(channels: string[]): Promise<void>;
  unsubscribe(channels: string[]): Promise<void>;
}

/**
 * The subscribing side of `client`; every message goes to `onMessage`. Made once per client:
 * it adds one message listener (ioredis) or subscribes with one listener function (node-redis,
 * which keeps a set of them per channel, so re-subscribing never doubles a message).
 */
export function pubSubOf(client: RedisClientLike, onMessage: (channel: string, message: string) => void): PubSub {
  if (isIoRedis(client)) {
    client.on("message", ((channel: string, message: string) => onMessage(channel, message)) as never);
    return {
      subscribe: async (channels) => void (await client.subscribe(...channels)),
      unsubscribe: async (channels) => void (await client.unsubscribe(...channels)),
    };
  }
  const listener = (message: string, channel: string) => onMessage(channel, message);
  return {
    subscribe: async (channels) => void (await client.subscribe(channels, listener)),
    unsubscribe: async (channels) => void (await client.unsubscribe(channels, listener)),
  };
}

/** A connection the companion made itself, and how it is doing. */
export interface OwnConnection {
  readonly client: RedisClientLike;
  /** Settles once connected (node-redis); at once for ioredis, which queues commands until then. */
  readonly connected: Promise<void>;
  /** Ends it: gracefully within a second, else at once. */
  end(): Promise<void>;
}

/**
 * A new connection to `client`'s server, with its `error` events routed to `onError` (neither
 * library copies listeners to a duplicate, and an `error` event without one ends a Node process)
 * and its `ready` events to `onReady`. Both libraries reconnect it after an outage; the companion
 * subscribes its channels again on `ready`.
 */
export function duplicateOf(
  client: RedisClientLike,
  onError: (error: unknown) => void,
  onReady: () => void,
): OwnConnection {
  // ioredis's own resubscribe after a reconnect leaves its promise unhandled: a connection that
  // closes during it ("Connection is closed.") would end the process. The companion subscribes
  // again itself on "ready", with every failure handled.
  const copy = isIoRedis(client) ? client.duplicate({ autoResubscribe: false }) : client.duplicate();
  copy.on("error", onError as never);
  copy.on("ready", onReady as never);
  const connected = isIoRedis(copy) ? Promise.resolve() : copy.connect().then(() => undefined);
  connected.catch(() => {}); // the subscriptions see the failure; it must not surface as unhandled
  const force = () => {
    try {
      if (isIoRedis(copy)) copy.disconnect();
      else if (copy.destroy) copy.destroy();
      else void copy.disconnect?.().catch(() => {});
    } catch {
      // Already closed (node-redis throws "The client is closed"): nothing left to end.
    }
  };
  return {
    client: copy,
    connected,
    end: async () => {
      if (
        !(await fulfilsWithin(
          connected.then(() => copy.quit()),
          1_000,
        ))
      )
        force();
    },
  };
}

/**
 * The `onError` of a companion object, taking anything thrown: the caller's, or one process
 * warning per error.
 */
export function errorReporter(onError: ((error: Error) => void) | undefined): (error: unknown) => void {
  const report = onError ?? ((error: Error) => warn(`pixazo-ltx/redis: ${error.message}`));
  return (error) => report(error instanceof Error ? error : new Error(describeThrown(error)));
}
