/**
 * A receiver process, one of several behind the load balancer: verifies each callback with the
 * gateway, drops a delivery any receiver of the fleet already handled (Redis SET NX), and
 * publishes the job's event to every worker through Redis.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RedisJobEvents, redisDeliveryStore } from "pixazo-ltx/redis";
import { WebhookReceiver } from "pixazo-ltx/webhooks";
import { fleetSettings, gatewayClient, names, redisConnection } from "./settings.js";

const settings = fleetSettings();
const queues = names(settings.run);
const client = gatewayClient(settings);
const redis = redisConnection(settings);
const events = new RedisJobEvents({ redis, keyPrefix: queues.prefix });
const receiver = new WebhookReceiver({
  verify: client,
  verifyReadsPerSecond: settings.verifyReadsPerSecond,
  store: redisDeliveryStore(redis, { keyPrefix: `${queues.prefix}delivery:` }),
  onEvent: (_, event) => events.publish(event),
});

const server = createServer(receiver.nodeHandler());
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  // The line the fleet's launcher waits for, to put this receiver behind the load balancer.
  console.log(`receiver listening ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.close();
  void Promise.all([events.close(), client.close()]).then(() => process.exit(0));
});
