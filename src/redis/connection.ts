/*
 * The two Redis clients people use, behind the few operations the companion needs. The package
 * takes the user's own client instance and depends on neither: `ioredis` is told apart by its
 * `call()`, node-redis (`redis`) by `sendCommand()` taking an array. Every command goes through
 * the raw form of each, so both send the same words to the server.
 */

import { ValidationError } from "../errors/errors.js";
import { warn } from "../internal/warn.js";

/** An `ioredis` client (`new Redis(...)`), as far as the companion uses it. */
export interface IoRedisLike {
  /** Sends a command in its raw form. */
  call(command: string, ...args: string[]): Promise<unknown>;
  /** Subscribes to channels; messages arrive as "message" events. */
  subscribe(...channels: string[]): Promise<unknown>;
  /** Ends subscriptions. */
  unsubscribe(...channels: string[]): Promise<unknown>;
  /** Listens to a connection event. */
  on(event: "message", listener: (channel: string, message: string) => void): unknown;
  /** A new connection with the same options. */
  duplicate(): IoRedisLike;
  /** Closes the connection after pending replies. */
  quit(): Promise<unknown>;
}

/** A node-redis client (`createClient(...)` of the `redis` package, connected), as far as the companion uses it. */
export interface NodeRedisLike {
  /** Sends a command in its raw form. */
  sendCommand(args: string[]): Promise<unknown>;
  /** Subscribes to a channel, with its listener. */
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Ends a subscription. */
  unsubscribe(channel: string): Promise<unknown>;
  /** A new, unconnected client with the same options. */
  duplicate(): NodeRedisLike;
  /** Connects the client. */
  connect(): Promise<unknown>;
  /** Closes the connection after pending replies. */
  quit(): Promise<unknown>;
}

/** A connected client of `ioredis` or of `redis` (node-redis). */
export type RedisClientLike = IoRedisLike | NodeRedisLike;

/** The operations the companion needs, the same over either client. */
export interface RedisConnection {
  /** Sends one command, e.g. `["SET", key, value, "NX", "PX", "1000"]`. */
  command(args: readonly string[]): Promise<unknown>;
  /** Subscribes this (subscriber) connection to `channel`; messages go to `onMessage`. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** A new connection to the same server, connected, for subscribing. */
  duplicate(): Promise<RedisConnection>;
  quit(): Promise<void>;
}

function isIoRedis(client: RedisClientLike): client is IoRedisLike {
  return typeof (client as IoRedisLike).call === "function";
}

/**
 * The companion's view of `client`.
 *
 * @param path where the client was passed, for the error message.
 * @throws {ValidationError} when `client` is neither an `ioredis` nor a node-redis client.
 */
export function redisConnection(client: RedisClientLike, path: readonly string[] = ["redis"]): RedisConnection {
  if (isIoRedis(client)) return ioRedisConnection(client);
  if (typeof (client as NodeRedisLike | undefined)?.sendCommand === "function") return nodeRedisConnection(client);
  throw new ValidationError([
    {
      path,
      message: "is not a Redis client",
      allowed: "a client of ioredis (new Redis()) or of redis (createClient(), connected)",
    },
  ]);
}

function ioRedisConnection(client: IoRedisLike): RedisConnection {
  // One "message" listener per connection, dispatching by channel.
  const handlers = new Map<string, (message: string) => void>();
  let listening = false;
  return {
    command: ([command, ...args]) => client.call(command as string, ...args),
    subscribe: async (channel, onMessage) => {
      if (!listening) {
        client.on("message", (from, message) => handlers.get(from)?.(message));
        listening = true;
      }
      handlers.set(channel, onMessage);
      await client.subscribe(channel);
    },
    unsubscribe: async (channel) => {
      handlers.delete(channel);
      await client.unsubscribe(channel);
    },
    duplicate: async () => ioRedisConnection(client.duplicate()),
    quit: async () => {
      await client.quit();
    },
  };
}

function nodeRedisConnection(client: NodeRedisLike): RedisConnection {
  return {
    command: (args) => client.sendCommand([...args]),
    subscribe: async (channel, onMessage) => {
      await client.subscribe(channel, (message) => onMessage(message));
    },
    unsubscribe: async (channel) => {
      await client.unsubscribe(channel);
    },
    duplicate: async () => {
      const copy = client.duplicate();
      await copy.connect();
      return nodeRedisConnection(copy);
    },
    quit: async () => {
      await client.quit();
    },
  };
}

/**
 * The connection a companion object subscribes on, which Redis reserves to subscribing once used
 * for it: the one the caller gave (checked at once), or a duplicate of `commands` made on first
 * use and closed by `close()`.
 */
export class SubscriberConnection {
  readonly #commands: RedisConnection;
  readonly #given: RedisConnection | undefined;
  #connection: Promise<RedisConnection> | undefined;

  /** @throws {ValidationError} when `given` is neither an `ioredis` nor a node-redis client. */
  constructor(commands: RedisConnection, given: RedisClientLike | undefined) {
    this.#commands = commands;
    this.#given = given === undefined ? undefined : redisConnection(given, ["subscriber"]);
  }

  /** The connection, made on the first call when it is the companion's own. */
  get(): Promise<RedisConnection> {
    this.#connection ??= this.#given ? Promise.resolve(this.#given) : this.#commands.duplicate();
    return this.#connection;
  }

  /** Whether `get()` was called. */
  get started(): boolean {
    return this.#connection !== undefined;
  }

  /** Closes the connection if the companion made it; a given one stays the caller's. */
  async close(): Promise<void> {
    if (this.#connection && !this.#given) await (await this.#connection).quit();
  }
}

/**
 * The `onError` of a companion object, taking anything thrown: the caller's, or one process
 * warning per error.
 */
export function errorReporter(onError: ((error: Error) => void) | undefined): (error: unknown) => void {
  const report = onError ?? ((error: Error) => warn(`pixazo-ltx/redis: ${error.message}`));
  return (error) => report(error instanceof Error ? error : new Error(String(error)));
}
